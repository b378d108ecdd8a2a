import { ErrorCodes, refuse, type Refusal } from '../shared/errors.js';
import { canHaveTokens, type KnowledgeItem } from '../shared/knowledge.js';
import { checkUsable, type Token } from '../tokens/token.js';
import type { HostUser } from '../shared/user.js';
import { localDay, safeTimeZone } from '../shared/time-zone.js';

/** What the registration use case knows before it writes anything. */
export interface RegistrationFacts {
  /** The portal-wide switch. */
  readonly portalEnabled: boolean;
  /** The token the code resolved to, or null for an unknown or deleted code. */
  readonly token: Pick<Token, 'enabled' | 'expiresAt' | 'maxUses' | 'uses'> | null;
  /** The token's item as the host knows it now (null if it has gone). */
  readonly item: KnowledgeItem | null;
  /** The account already holding this email, if any. */
  readonly existingUser: HostUser | null;
  /** The existing account was created by a registration and its invitation was never accepted. */
  readonly invitationPending: boolean;
  /**
   * Seats left in the subscription; null means unlimited. Only new users take one, but when none is
   * left everyone is answered alike (see `answerAs`), so the answer never tells whether an email is known.
   * For a new email the use case may pass null: the atomic seat claim in the transaction decides.
   */
  readonly seatsLeft: number | null;
  readonly now: Date;
}

export type RegistrationRefusal = Refusal<
  | typeof ErrorCodes.REGISTRATION_UNAVAILABLE
  | typeof ErrorCodes.TOKEN_NOT_RECOGNISED
  | typeof ErrorCodes.TOKEN_DISABLED
  | typeof ErrorCodes.TOKEN_EXPIRED
  | typeof ErrorCodes.TOKEN_USED_UP
  | typeof ErrorCodes.SEATS_EXHAUSTED
>;

/**
 * The registration decision.
 * - `create_prospect`: a new person; create a prospect user, take a seat, enrol, send an invitation.
 * - `existing_account`: the email belongs to an active account. Nothing is proven by typing it, so
 *   the account gets a single-use sign-in link; the page the visitor sees is the same as for a new person.
 * - `resend_invitation`: the account was made by an earlier registration and never activated: a
 *   fresh invitation replaces the old one (its link leads to this token's item).
 * - `silent`: the email belongs to a suspended account: the visitor sees the same page and nothing else happens.
 * - `refuse`: the visitor is told why (token state, portal switch, seats).
 *
 * `answerAs` is what the visitor is shown for the three outcomes about known emails: null for the
 * same "check your inbox" page a new person gets, or the refusal a new person would get right now
 * (no seats left). The email still goes out to the account's inbox either way.
 */
export type RegistrationDecision =
  | { readonly kind: 'create_prospect'; readonly item: KnowledgeItem }
  | { readonly kind: 'existing_account'; readonly item: KnowledgeItem; readonly user: HostUser; readonly answerAs: RegistrationRefusal | null }
  | { readonly kind: 'resend_invitation'; readonly item: KnowledgeItem; readonly user: HostUser; readonly answerAs: RegistrationRefusal | null }
  | { readonly kind: 'silent'; readonly answerAs: RegistrationRefusal | null }
  | { readonly kind: 'refuse'; readonly reason: RegistrationRefusal };

export function decideRegistration(facts: RegistrationFacts): RegistrationDecision {
  if (!facts.portalEnabled) return { kind: 'refuse', reason: refuse(ErrorCodes.REGISTRATION_UNAVAILABLE) };
  if (!facts.token) return { kind: 'refuse', reason: refuse(ErrorCodes.TOKEN_NOT_RECOGNISED) };
  const usable = checkUsable(facts.token, facts.now);
  if (!usable.ok) return { kind: 'refuse', reason: usable.error };
  // A token whose item vanished or became library content is as good as deleted.
  const item = canHaveTokens(facts.item);
  if (!item.ok) return { kind: 'refuse', reason: refuse(ErrorCodes.TOKEN_NOT_RECOGNISED) };
  const noSeats = facts.seatsLeft !== null && facts.seatsLeft <= 0 ? refuse(ErrorCodes.SEATS_EXHAUSTED) : null;
  if (facts.existingUser) {
    const user = facts.existingUser;
    if (user.status !== 'active') return { kind: 'silent', answerAs: noSeats };
    if (facts.invitationPending) return { kind: 'resend_invitation', item: item.value, user, answerAs: noSeats };
    return { kind: 'existing_account', item: item.value, user, answerAs: noSeats };
  }
  if (noSeats) return { kind: 'refuse', reason: noSeats };
  return { kind: 'create_prospect', item: item.value };
}

/** Email links: what a person holding one may do with it. */
export interface EmailLinkState {
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
  readonly revokedAt: Date | null;
}

export type LinkRefusal = Refusal<typeof ErrorCodes.LINK_INVALID | typeof ErrorCodes.LINK_EXPIRED | typeof ErrorCodes.LINK_USED>;

export function checkEmailLink(link: EmailLinkState | null, now: Date): { ok: true } | { ok: false; reason: LinkRefusal } {
  if (!link || link.revokedAt) return { ok: false, reason: refuse(ErrorCodes.LINK_INVALID) };
  if (link.usedAt) return { ok: false, reason: refuse(ErrorCodes.LINK_USED) };
  if (link.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: refuse(ErrorCodes.LINK_EXPIRED) };
  return { ok: true };
}

export const INVITATION_TTL_MS = 72 * 60 * 60 * 1000;
export const SIGN_IN_LINK_TTL_MS = 30 * 60 * 1000;
export type EmailLinkPurpose = 'invitation' | 'sign_in';

/** What a signed-in visitor enrolling themselves knows before it writes anything. */
export interface SignedInEnrolmentFacts {
  readonly portalEnabled: boolean;
  readonly token: Pick<Token, 'enabled' | 'expiresAt' | 'maxUses' | 'uses'> | null;
  readonly item: KnowledgeItem | null;
  readonly user: HostUser;
  readonly alreadyEnrolled: boolean;
  readonly now: Date;
}

/**
 * A signed-in visitor enrolling with a token (the one-click page, or the form with their own
 * email). Being signed in proves the account, so nothing is mailed. An existing account takes no
 * seat; it takes one use of the token, unless it is enrolled already (then it just goes there).
 * The account keeps its type (staff and client users stay what they are).
 */
export type SignedInEnrolmentDecision =
  | { readonly kind: 'enrol'; readonly item: KnowledgeItem }
  | { readonly kind: 'already_enrolled'; readonly item: KnowledgeItem }
  | { readonly kind: 'refuse'; readonly reason: RegistrationRefusal };

export function decideSignedInEnrolment(facts: SignedInEnrolmentFacts): SignedInEnrolmentDecision {
  if (!facts.portalEnabled || facts.user.status !== 'active') return { kind: 'refuse', reason: refuse(ErrorCodes.REGISTRATION_UNAVAILABLE) };
  if (!facts.token) return { kind: 'refuse', reason: refuse(ErrorCodes.TOKEN_NOT_RECOGNISED) };
  const item = canHaveTokens(facts.item);
  if (!item.ok) return { kind: 'refuse', reason: refuse(ErrorCodes.TOKEN_NOT_RECOGNISED) };
  // Someone already enrolled just goes to the item: a token that has since closed does not lock them out.
  if (facts.alreadyEnrolled) return { kind: 'already_enrolled', item: item.value };
  const usable = checkUsable(facts.token, facts.now);
  if (!usable.ok) return { kind: 'refuse', reason: usable.error };
  return { kind: 'enrol', item: item.value };
}

/**
 * The calendar day of `now` in an IANA time zone, as YYYY-MM-DD (UTC when the zone is unknown):
 * the seat-limit alert goes out at most once per such day.
 */
export function dayIn(now: Date, timeZone: string): string {
  return localDay(now, safeTimeZone(timeZone));
}
