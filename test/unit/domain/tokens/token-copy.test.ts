import { expect } from 'chai';
import { copiedEntry, copyNickname, notificationsCopiedEntry, planTokenCopies } from '../../../../src/domain/tokens/token-copy.js';
import type { Token } from '../../../../src/domain/tokens/token.js';

const token = (id: string, o: Partial<Token> = {}): Token => ({
  id, item: { type: 'topic', id: '1' }, nickname: null, code: 'AAAA-BBBB-CCCC', custom: false, enabled: true, expiresAt: null, maxUses: null,
  uses: 7, createdBy: 'u1', createdByName: 'Ada Admin', createdAt: new Date('2026-01-01T00:00:00Z'), lastUsedAt: new Date('2026-02-01T00:00:00Z'), ...o,
});

describe('domain: copies of a cloned item’s tokens', () => {
  it('marks the nickname “(copy)” within 100 characters, once; a token without one becomes “Copy”', () => {
    expect(copyNickname('Spring fair')).to.equal('Spring fair (copy)');
    expect(copyNickname(null)).to.equal('Copy');
    expect(copyNickname('Spring fair (copy)')).to.equal('Spring fair (copy)');
    const long = copyNickname(`${'x'.repeat(98)} y`);
    expect(long.length).to.be.at.most(100);
    expect(long.endsWith(' (copy)')).to.equal(true);
  });

  it('plans one copy per source token not copied yet, keeping expiry (even past) and max uses', () => {
    const past = new Date('2020-01-01T00:00:00Z');
    const plan = planTokenCopies([token('1', { nickname: 'A', maxUses: 5, expiresAt: past }), token('2')], new Set(['2']));
    expect(plan.map((p) => ({ id: p.source.id, nickname: p.nickname, expiresAt: p.expiresAt, maxUses: p.maxUses }))).to.deep.equal([
      { id: '1', nickname: 'A (copy)', expiresAt: past, maxUses: 5 },
    ]);
  });

  it('audits a copy by the system, naming the source and never a code', () => {
    const copy = token('9', { item: { type: 'topic', id: '2' }, nickname: 'A (copy)', code: 'ZZZZ-YYYY-XXXX', enabled: false, uses: 0 });
    const entry = copiedEntry(copy, token('1', { nickname: 'A' }), { type: 'topic', id: '1' }, new Date('2026-03-01T00:00:00Z'));
    expect(entry).to.deep.include({ action: 'token.copied', tokenId: '9', tokenNickname: 'A (copy)', item: { type: 'topic', id: '2' } });
    expect(entry.actor.via).to.equal('system');
    expect(JSON.stringify(entry)).not.to.contain('ZZZZ').and.not.to.contain('AAAA');
    const settings = notificationsCopiedEntry({ type: 'topic', id: '2' }, { type: 'topic', id: '1' }, { enabled: true, mode: 'digest', stakeholders: ['a@b.test'] }, new Date());
    expect(settings.details).to.deep.equal({ fromItem: 'topic:1', enabled: true, mode: 'digest', recipients: 1 });
  });
});
