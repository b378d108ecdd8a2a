/* Fixed data and seeding helpers: they write straight into the state, as data already committed. */
import type { KnowledgeItem, KnowledgeRef, KnowledgeType } from '../../../src/domain/shared/knowledge.js';
import type { Token } from '../../../src/domain/tokens/token.js';
import type { HostUser } from '../../../src/domain/shared/user.js';
import type { PortalInfo } from '../../../src/domain/shared/portal-info.js';
import type { FakeDb } from './fake-db.js';

export const NOW = new Date('2026-03-01T10:00:00.000Z');

export const PORTAL: PortalInfo = {
  name: 'Acme Academy',
  primaryAdminEmail: 'admin@acme.test',
  publicBaseUrl: 'https://learn.acme.test',
  timeZone: 'Europe/London',
};

export function item(type: KnowledgeType, id: string, overrides: Partial<KnowledgeItem> = {}): KnowledgeItem {
  return { ref: { type, id }, title: `${type} ${id}`, origin: 'own', learnerUrl: `/learn/${type}/${id}`, ...overrides };
}

export function user(id: string, overrides: Partial<HostUser> = {}): HostUser {
  return { id, email: `${id}@example.com`, firstName: 'First', lastName: 'Last', type: 'client', role: null, status: 'active', ...overrides };
}

export function seedToken(db: FakeDb, id: string, normalisedCode: string, itemRef: KnowledgeRef, overrides: Partial<Token> = {}): Token {
  const token: Token = {
    id, item: itemRef, nickname: null, custom: false, enabled: true, expiresAt: null, maxUses: null, uses: 0,
    createdBy: 'admin', createdAt: new Date('2026-01-01T00:00:00Z'), lastUsedAt: null, ...overrides,
  };
  db.state.tokens.push(token);
  db.state.tokenCodes[id] = normalisedCode;
  return token;
}

export function tokenIn(db: FakeDb, id: string): Token {
  const token = db.state.tokens.find((t) => t.id === id);
  if (!token) throw new Error(`no token ${id}`);
  return token;
}
