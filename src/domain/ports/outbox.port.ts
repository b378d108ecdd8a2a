import type { Tx } from './unit-of-work.port.js';
import type { OutgoingMail } from '../mail/outgoing-mail.js';

export interface OutboxPort {
  /** Writes the message in `tx`; it is sent only after the transaction commits. */
  enqueue(mail: OutgoingMail, tx: Tx): Promise<void>;
}
