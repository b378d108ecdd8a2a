import type { KnowledgeRef } from '../shared/knowledge.js';

/** The terms and privacy links a registrant was shown and agreed to on the public form. */
export interface ConsentGiven {
  readonly termsUrl: string | null;
  readonly privacyUrl: string | null;
}

/** Evidence of consent: when the registrant agreed (submitted the form), and to which links. */
export interface ConsentRecord extends ConsentGiven {
  readonly at: Date;
}

export interface RegistrationRecord {
  readonly tokenId: string;
  readonly tokenNickname: string | null;
  readonly item: KnowledgeRef;
  readonly userId: string;
  readonly newUser: boolean;
  readonly at: Date;
  /** Null or absent when the form asked for no consent (no terms or privacy linked), or no form was involved. */
  readonly consent?: ConsentRecord | null;
}
