import type { KnowledgeRef } from '../shared/knowledge.js';
import type { EmailLinkPurpose } from './registration.js';
import type { ConsentRecord } from './registration-record.js';
import type { Attribution } from '../reports/attribution.js';

export interface EmailLink {
  readonly id: string;
  readonly userId: string;
  readonly purpose: EmailLinkPurpose;
  readonly item: KnowledgeRef | null;
  /** The token the person registered with (null once that token is deleted). */
  readonly tokenId: string | null;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
  readonly revokedAt: Date | null;
  /** The consent given on the form that sent this link: recorded with the enrolment the link makes. */
  readonly consent?: ConsentRecord | null;
  /** The campaign of the deep link that led to this link: recorded with the enrolment the link makes. */
  readonly attribution?: Attribution | null;
}
