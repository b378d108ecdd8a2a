/*
 * The one in-memory database every fake shares. Its `state` is plain data: FakeUnitOfWork snapshots
 * it when a unit of work starts and restores the snapshot when the work rejects, so a rollback is
 * observable in the stores. Writes that belong in the registration transaction check they are made
 * on the open transaction (`inTx`).
 */
import type { KnowledgeItem, KnowledgeRef } from '../../../src/domain/shared/knowledge.js';
import type { Token } from '../../../src/domain/tokens/token.js';
import type { HostUser } from '../../../src/domain/shared/user.js';
import type { EmailLink } from '../../../src/domain/registration/email-link.js';
import type { OutgoingMail } from '../../../src/domain/mail/outgoing-mail.js';
import type { RegistrationRecord } from '../../../src/domain/registration/registration-record.js';
import type { Tx } from '../../../src/domain/ports/unit-of-work.port.js';
import type { ApiKey } from '../../../src/domain/api-keys/api-key.js';
import type { AuditEntry } from '../../../src/domain/audit/audit.js';

export interface StoredLink extends EmailLink {
  readonly secretDigest: string;
}

export interface State {
  portalEnabled: boolean;
  /** Null: unlimited subscription. */
  seatsLeft: number | null;
  items: KnowledgeItem[];
  users: HostUser[];
  passwords: Record<string, string>;
  enrolments: { userId: string; item: KnowledgeRef }[];
  tokens: Token[];
  /** Token id → normalised code. */
  tokenCodes: Record<string, string>;
  registrations: RegistrationRecord[];
  links: StoredLink[];
  outbox: OutgoingMail[];
  nextId: number;
  /** Token management: the audit log, API keys (with their digests) and registration ids. */
  audit?: AuditEntry[];
  apiKeys?: (ApiKey & { digest: string })[];
}

export class FakeDb {
  state: State = {
    portalEnabled: true,
    seatsLeft: null,
    items: [],
    users: [],
    passwords: {},
    enrolments: [],
    tokens: [],
    tokenCodes: {},
    registrations: [],
    links: [],
    outbox: [],
    nextId: 0,
  };
  openTx: Tx | null = null;
  commits = 0;
  rollbacks = 0;

  newId(prefix: string): string {
    this.state.nextId += 1;
    return `${prefix}${this.state.nextId}`;
  }

  /** For writes that must be part of the open unit of work. */
  inTx(tx: Tx | undefined): State {
    if (!this.openTx || tx !== this.openTx) throw new Error('write outside the open transaction');
    return this.state;
  }
}

export const sameRef = (a: KnowledgeRef, b: KnowledgeRef): boolean => a.type === b.type && a.id === b.id;
