import type { Tx } from './unit-of-work.port.js';
import type { RegistrationRecord } from '../registration/registration-record.js';

export interface RegistrationRepository {
  /** `itemTitle`: the item's title now, for the registration's webhook event (not stored with the registration). */
  record(entry: RegistrationRecord, tx: Tx, itemTitle?: string | null): Promise<void>;
  /** A new account's invitation was accepted: its registrations are activated now (those not yet). */
  markActivated(userId: string, at: Date, tx: Tx): Promise<void>;
}
