/* What a refused token form carries through its redirect: codes and ids in the URL, what was typed in the draft store. */
import { expect } from 'chai';
import type { Request } from 'express';
import type { AccessControlPort } from '../../../../../src/contract/index.js';
import { TokenFormFlash, type FormDraftStore } from '../../../../../src/adapters/http/admin/token-form-flash.js';

class MemoryDrafts implements FormDraftStore {
  readonly saved: { session: string | null; form: string; payload: Record<string, unknown> }[] = [];
  async save(session: string | null, form: string, payload: Record<string, unknown>): Promise<string | null> {
    this.saved.push({ session, form, payload });
    return `draft${String(this.saved.length).padStart(19, '0')}`;
  }
  async read(session: string | null, form: string, id: unknown): Promise<Record<string, unknown> | null> {
    const n = typeof id === 'string' ? Number(id.slice(5)) : 0;
    const draft = this.saved[n - 1];
    return draft && draft.session === session && draft.form === form ? draft.payload : null;
  }
}

const access = { sessionKey: (req: Request) => (req as unknown as { session: string }).session } as AccessControlPort;
const request = (session: string, query: Record<string, string> = {}) => ({ session, query }) as unknown as Request;

describe('adapters/http admin TokenFormFlash', () => {
  it('puts the code and the form in the URL and what was typed in a draft of the same session', async () => {
    const drafts = new MemoryDrafts();
    const flash = new TokenFormFlash(drafts, access);
    const params = await flash.refused(request('s1'), 'TOKEN.MAX_USES_INVALID', 'create', { nickname: 'Spring fair', maxUses: 'ten', expiresOn: '' });
    expect(params).to.deep.equal({ selfreg_error: 'TOKEN.MAX_USES_INVALID', selfreg_form: 'create', selfreg_draft: 'draft0000000000000000001' });
    expect(drafts.saved[0]!.payload).to.deep.equal({ nickname: 'Spring fair', maxUses: 'ten' });
    const shown = await flash.read(request('s1', params as Record<string, string>));
    expect(shown).to.include({ form: 'create', field: 'maxUses', errorCode: 'TOKEN.MAX_USES_INVALID' });
    expect(shown.values).to.deep.equal({ nickname: 'Spring fair', maxUses: 'ten' });
    expect((await flash.read(request('another session', params as Record<string, string>))).values).to.deep.equal({});
  });

  it('keeps a taken code in the session\'s draft to correct (never in the redirect), and no draft when nothing was typed', async () => {
    const drafts = new MemoryDrafts();
    const flash = new TokenFormFlash(drafts, access);
    const empty = await flash.refused(request('s1'), 'TOKEN.CODE_TAKEN', 'create', {});
    expect(empty).to.deep.equal({ selfreg_error: 'TOKEN.CODE_TAKEN', selfreg_form: 'create' });
    expect(drafts.saved).to.have.length(0);
    const taken = await flash.refused(request('s1'), 'TOKEN.CODE_TAKEN', 'create', { customCode: 'OPEN-DAY-2026', nickname: 'Second' });
    expect(JSON.stringify(taken)).not.to.contain('OPEN').and.not.to.contain('Second');
    expect(drafts.saved[0]!.payload).to.deep.equal({ customCode: 'OPEN-DAY-2026', nickname: 'Second' });
  });
});
