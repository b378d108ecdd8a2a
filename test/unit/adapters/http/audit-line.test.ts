/* How audit entries read: plurals that agree, portal-wide entries naming no token, no secret in a key's line. */
import { expect } from 'chai';
import { auditLine } from '../../../../src/adapters/http/shared/audit-line.js';
import type { AuditEntry } from '../../../../src/domain/audit/audit.js';

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  id: '1', at: new Date('2026-03-01T10:00:00Z'), action: 'token.created', actor: { id: '1', name: 'Alex Admin', via: 'panel' },
  tokenId: '7', tokenNickname: 'Fair', item: { type: 'topic', id: '3' }, details: {}, ...over,
});

describe('adapters/http: audit lines', () => {
  it('a limit of one reads "max 1 use", more "max 5 uses"', () => {
    expect(auditLine(entry({ details: { custom: false, maxUses: 1 } }), 'UTC').detail).to.equal('(generated code, max 1 use)');
    expect(auditLine(entry({ details: { custom: true, maxUses: 5 } }), 'UTC').detail).to.equal('(custom code, max 5 uses)');
  });

  it('API keys, branding and notification changes read as sentences; the portal-wide ones name no token', () => {
    const key = auditLine(entry({ action: 'apikey.created', tokenId: null, tokenNickname: null, item: null, details: { name: 'CRM', hint: 'srk_AbCdEf' } }), 'UTC');
    expect([key.action, key.detail, key.isPortal, key.showSubject]).to.deep.equal(['created the API key', '“CRM” (srk_AbCdEf…)', true, false]);
    const branding = auditLine(entry({ action: 'branding.changed', tokenId: null, tokenNickname: null, item: null, details: { fields: 'heading, logoUrl' } }), 'UTC');
    expect([branding.action, branding.detail]).to.deep.equal(['changed the registration page', '(heading, logoUrl)']);
    const notes = auditLine(entry({ action: 'notifications.changed', tokenId: null, tokenNickname: null, details: { enabled: true, mode: 'digest', recipients: 1 } }), 'UTC');
    expect([notes.detail, notes.isPortal, notes.showSubject]).to.deep.equal(['(on, daily digest, 1 recipient)', false, false]);
    expect(auditLine(entry({ action: 'notifications.changed', tokenId: null, tokenNickname: null, details: { enabled: false, mode: 'each', recipients: 0 } }), 'UTC').detail).to.equal('(now off)');
  });
});
