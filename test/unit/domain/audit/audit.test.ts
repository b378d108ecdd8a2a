import { expect } from 'chai';
import {
  AUDIT_ACTIONS, auditActor, changeEntries, createdEntry, deletedEntry, displayName, isAuditAction, portalSwitchEntry,
} from '../../../../src/domain/audit/audit.js';
import type { Token } from '../../../../src/domain/tokens/token.js';
import type { HostUser } from '../../../../src/domain/shared/user.js';

const AT = new Date('2026-03-01T10:00:00Z');
const admin: HostUser = { id: '7', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', type: 'staff', role: 'standard_admin', status: 'active' };
const token: Token = {
  id: '12', item: { type: 'topic', id: '3' }, nickname: 'Spring fair', code: 'ABCD-EFGH-JKMN', custom: false, enabled: true,
  expiresAt: new Date('2026-06-30T23:00:00Z'), maxUses: 50, uses: 4, createdBy: '7', createdAt: AT, lastUsedAt: null,
};

describe('domain/audit', () => {
  it('knows the token events, the later bulk import and the portal switch', () => {
    expect(AUDIT_ACTIONS).to.include.members(['token.created', 'token.renamed', 'token.expiry_changed', 'token.max_uses_changed', 'token.disabled', 'token.enabled', 'token.deleted', 'tokens.imported', 'portal.enabled', 'portal.disabled']);
    expect(isAuditAction('token.created')).to.equal(true);
    expect(isAuditAction('token.hacked')).to.equal(false);
  });

  it('names people by first and last name, else by email', () => {
    expect(displayName(admin)).to.equal('Ada Lovelace');
    expect(displayName({ ...admin, firstName: ' ', lastName: '' })).to.equal('ada@example.com');
  });

  it('an actor comes through a panel by default, or through a named API key', () => {
    expect(auditActor(admin)).to.deep.equal({ id: '7', name: 'Ada Lovelace', via: 'panel' });
    expect(auditActor(admin, { via: 'api', apiKeyId: '2', apiKeyName: 'CRM sync' })).to.deep.equal({
      id: '7', name: 'Ada Lovelace', via: 'api', apiKeyId: '2', apiKeyName: 'CRM sync',
    });
  });

  it('a created entry records the settings but never the code', () => {
    const entry = createdEntry(token, auditActor(admin), AT);
    expect(entry).to.deep.equal({
      at: AT, action: 'token.created', actor: { id: '7', name: 'Ada Lovelace', via: 'panel' }, tokenId: '12', tokenNickname: 'Spring fair',
      item: { type: 'topic', id: '3' }, details: { custom: false, expiresAt: '2026-06-30T23:00:00.000Z', maxUses: 50 },
    });
    expect(JSON.stringify(entry)).not.to.contain('ABCD');
  });

  it('one entry per kind of change, with from and to; the snapshot is the new nickname', () => {
    const entries = changeEntries(token, { nickname: 'Summer fair', expiresAt: null, maxUses: 100, enabled: false }, auditActor(admin), AT);
    expect(entries.map((e) => [e.action, e.details, e.tokenNickname])).to.deep.equal([
      ['token.renamed', { from: 'Spring fair', to: 'Summer fair' }, 'Summer fair'],
      ['token.expiry_changed', { from: '2026-06-30T23:00:00.000Z', to: null }, 'Summer fair'],
      ['token.max_uses_changed', { from: 50, to: 100 }, 'Summer fair'],
      ['token.disabled', {}, 'Summer fair'],
    ]);
    expect(changeEntries(token, { enabled: true }, auditActor(admin), AT).map((e) => e.action)).to.deep.equal(['token.enabled']);
    expect(changeEntries(token, {}, auditActor(admin), AT)).to.deep.equal([]);
  });

  it('a deleted entry keeps the nickname, item and uses; the portal switch has no token', () => {
    expect(deletedEntry(token, auditActor(admin), AT)).to.include({ action: 'token.deleted', tokenId: '12', tokenNickname: 'Spring fair' });
    expect(deletedEntry(token, auditActor(admin), AT).details).to.deep.equal({ uses: 4 });
    expect(portalSwitchEntry(false, auditActor(admin), AT)).to.deep.include({ action: 'portal.disabled', tokenId: null, item: null });
    expect(portalSwitchEntry(true, auditActor(admin), AT).action).to.equal('portal.enabled');
  });
});
