import { refuse, type Refusal } from '../../domain/shared/errors.js';
import type { KnowledgeItem } from '../../domain/shared/knowledge.js';
import type { EmailLinkPurpose, RegistrationRefusal } from '../../domain/registration/registration.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { ConsentGiven, ConsentRecord } from '../../domain/registration/registration-record.js';
import type { Attribution } from '../../domain/reports/attribution.js';

/** What the registration form submits. */
export interface RegistrantInput {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly code: string;
  /**
   * The terms and privacy links the form asked the registrant to agree to, when it asked (the
   * organisation linked either) and they agreed. Recorded with the enrolment it leads to, at the
   * time of this submission; null or absent when no consent was asked.
   */
  readonly consent?: ConsentGiven | null;
  /** The campaign (utm_*) of the deep link that opened the form, checked and signed at the edge; recorded with the registration. */
  readonly attribution?: Attribution | null;
}

/** Who is asking, as the HTTP edge knows it. */
export interface RegistrationContext {
  /** The visitor's address as the host's Express app reports it (`req.ip`): keys the per-IP limits. */
  readonly ip?: string | null;
  /**
   * The signed-in account, given only when the form proved it was rendered for this session (a
   * CSRF token bound to it). A registration with this account's own email enrols it at once.
   */
  readonly signedIn?: HostUser | null;
}

/** Over an abuse limit: try again after `retryAfterSeconds`. */
export type Limited = { readonly kind: 'limited'; readonly retryAfterSeconds: number };

export type Refused = { readonly kind: 'refused'; readonly reason: RegistrationRefusal };

/**
 * `accepted` is deliberately the same for a new person, an existing account and a suspended one:
 * the page must not tell a visitor whether an email is known. `enrolled` is only ever the answer to
 * a visitor signed in as the account they registered (they proved who they are).
 */
export type RegistrationOutcome =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'enrolled'; readonly redirectTo: string; readonly created: boolean }
  | Refused
  | Limited;

export type PreviewOutcome =
  | { readonly kind: 'usable'; readonly code: string; readonly item: KnowledgeItem; readonly tokenId: string }
  | Refused
  | Limited;

/** The one-click page of a signed-in visitor: the preview, and whether they are enrolled already. */
export type EnrolPreview =
  | { readonly kind: 'usable'; readonly code: string; readonly item: KnowledgeItem; readonly tokenId: string; readonly enrolled: boolean }
  | Refused
  | Limited;

export type SignedInOutcome =
  | { readonly kind: 'enrolled'; readonly redirectTo: string; readonly created: boolean }
  | Refused
  | Limited;

export type LinkInspection =
  | { readonly ok: true; readonly purpose: EmailLinkPurpose; readonly user: HostUser; readonly item: KnowledgeItem | null; readonly closed?: Refusal }
  | { readonly ok: false; readonly reason: Refusal; readonly tokenCode?: string };

/** An emailed link that signed its person in without enrolling them: the item, and why not (the token's state). */
export interface NotEnrolled {
  readonly itemTitle: string;
  readonly reason: Refusal;
}

export type LinkCompletion =
  | { readonly ok: true; readonly userId: string; readonly redirectTo: string; readonly notEnrolled?: NotEnrolled }
  | { readonly ok: false; readonly reason: Refusal; readonly message?: string };

export const refused = (code: RegistrationRefusal['code']): Refused => ({ kind: 'refused', reason: refuse(code) });

/** The consent given (if any was asked), as a record at the time `at` the enrolment or link is made. */
export const consentAt = (given: ConsentGiven | null | undefined) => (at: Date): ConsentRecord | null =>
  given ? { termsUrl: given.termsUrl, privacyUrl: given.privacyUrl, at } : null;

/** Thrown inside a unit of work to roll it back with an outcome; caught by `outcomeOf`. */
export class Rollback<T> {
  constructor(readonly outcome: T) {}
}

/** Runs `work` (a unit of work) and answers a Rollback's outcome when it threw one. */
export async function outcomeOf<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof Rollback) return e.outcome as T;
    throw e;
  }
}
