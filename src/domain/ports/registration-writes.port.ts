import type { OutgoingMail } from '../mail/outgoing-mail.js';
import type { RegistrationRecord } from '../registration/registration-record.js';
import type { NewEmailLink } from './email-link-repository.port.js';
import type { Tx } from './unit-of-work.port.js';

/** What one registration through a token writes besides the host's user and enrolment. */
export interface ClaimedRegistration {
  readonly registration: RegistrationRecord;
  /** The first emailed link of a user who has none yet (so there is no earlier one to revoke). */
  readonly link?: NewEmailLink;
  /** The mail carrying it, sent once the transaction commits. */
  readonly mail?: OutgoingMail;
}

/**
 * A registration's own rows, written together: one use of the registration's token claimed at its
 * time (as TokenRepository.claimUse decides it), the registration recorded, the link stored and its
 * mail queued. The adapter does it in one statement. False when the use could not be claimed: the
 * caller rolls the transaction back (rows already written go with it).
 */
export interface RegistrationWrites {
  claimAndRecord(write: ClaimedRegistration, tx: Tx): Promise<boolean>;
}
