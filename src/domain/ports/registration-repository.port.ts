import type { Tx } from './unit-of-work.port.js';
import type { RegistrationRecord } from '../registration/registration-record.js';

export interface RegistrationRepository {
  record(entry: RegistrationRecord, tx: Tx): Promise<void>;
}
