import type { KnowledgeRef } from '../shared/knowledge.js';
import type { HostUser } from '../shared/user.js';
import type { Attribution } from '../reports/attribution.js';

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
  /** The campaign (utm_*) of the deep link the registrant came through, first touch; null or absent without one. */
  readonly attribution?: Attribution | null;
  /** The person as the host knew them then: the reports' name, email and user type (kept true by the user hooks). */
  readonly registrant?: Pick<HostUser, 'email' | 'firstName' | 'lastName' | 'type'>;
}
