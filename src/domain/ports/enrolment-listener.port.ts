import type { Tx } from './unit-of-work.port.js';
import type { ExternalEnrolment } from '../notifications/external-enrolment.js';

/**
 * Told of every external enrolment inside the registration's transaction, so whatever it writes
 * (e.g. an admin notification in the outbox) commits or rolls back with the enrolment.
 */
export interface EnrolmentListener {
  enrolled(enrolment: ExternalEnrolment, tx: Tx): Promise<void>;
}
