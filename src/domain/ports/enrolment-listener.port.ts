import type { KnowledgeRef } from '../shared/knowledge.js';
import type { Tx } from './unit-of-work.port.js';
import type { ExternalEnrolment } from '../notifications/external-enrolment.js';

/**
 * Told of every external enrolment inside the registration's transaction, so whatever it writes
 * (e.g. an admin notification in the outbox) commits or rolls back with the enrolment.
 */
export interface EnrolmentListener {
  enrolled(enrolment: ExternalEnrolment, tx: Tx): Promise<void>;
  /**
   * Optional: true when an enrolment in `item` would write nothing now (e.g. its notifications are
   * off), so a registration may be written without a transaction for the listener to join. Without
   * it the listener is always given one.
   */
  quiet?(item: KnowledgeRef): Promise<boolean>;
}
