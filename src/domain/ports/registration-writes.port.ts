import type { OutgoingMail } from '../mail/outgoing-mail.js';
import type { RegistrationRecord } from '../registration/registration-record.js';
import type { NewEmailLink } from './email-link-repository.port.js';
import type { Tx } from './unit-of-work.port.js';
import type { CreateEnrolledResult, HostStatement } from './users.port.js';

/** What one registration through a token writes besides the host's user and enrolment. */
export interface ClaimedRegistration {
  readonly registration: RegistrationRecord;
  /** The first emailed link of a user who has none yet (so there is no earlier one to revoke). */
  readonly link?: NewEmailLink;
  /** The mail carrying it, sent once the transaction commits. */
  readonly mail?: OutgoingMail;
  /** The item's title now, for the registration's webhook event. */
  readonly itemTitle?: string | null;
}

/**
 * A registration's own rows, written together: one use of the registration's token claimed at its
 * time (as TokenRepository.claimUse decides it), the registration recorded, the link stored and its
 * mail queued. The adapter does it in one statement. False when the use could not be claimed: the
 * caller rolls the transaction back (rows already written go with it).
 */
export interface RegistrationWrites {
  claimAndRecord(write: ClaimedRegistration, tx: Tx): Promise<boolean>;
  /**
   * Optional: a new account's whole registration as ONE statement, without a transaction around it:
   * the host's statement (users.createEnrolledStatement: seat, user, enrolment) and, when it created
   * the user, the plugin's rows with the host's new user id in place of `userId`, and the use
   * claimed. A lost claim undoes all of it (`lost`). A host refusing the seat at commit throws.
   */
  createAndRecord?(host: HostStatement<CreateEnrolledResult>, write: ClaimedRegistration): Promise<CreateEnrolledResult | { readonly kind: 'lost' }>;
}
