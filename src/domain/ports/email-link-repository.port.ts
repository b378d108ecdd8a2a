import type { KnowledgeRef } from '../shared/knowledge.js';
import type { EmailLinkPurpose } from '../registration/registration.js';
import type { Tx } from './unit-of-work.port.js';
import type { ConsentRecord } from '../registration/registration-record.js';
import type { EmailLink } from '../registration/email-link.js';
import type { Attribution } from '../reports/attribution.js';

/** An emailed link to store: only the SHA-256 digest of its secret. */
export interface NewEmailLink {
  readonly userId: string;
  readonly purpose: EmailLinkPurpose;
  readonly item: KnowledgeRef | null;
  readonly tokenId: string | null;
  readonly secretDigest: string;
  readonly expiresAt: Date;
  readonly now: Date;
  readonly consent?: ConsentRecord | null;
  /** The campaign of the deep link, carried to the registration an emailed link completes. */
  readonly attribution?: Attribution | null;
}

export interface EmailLinkRepository {
  /** Stores only the SHA-256 digest of the secret; revokes the user's earlier live links of the same purpose. */
  issue(input: NewEmailLink, tx: Tx): Promise<EmailLink>;
  findByDigest(secretDigest: string, tx?: Tx): Promise<EmailLink | null>;
  /** Marks the link used if it is still live at `now`; false when someone else used it first. */
  consume(id: string, now: Date, tx: Tx): Promise<boolean>;
  revokeForUser(userId: string, tx?: Tx): Promise<number>;
  /** True when the user was sent an invitation and has not accepted any. */
  invitationPending(userId: string, tx?: Tx): Promise<boolean>;
}
