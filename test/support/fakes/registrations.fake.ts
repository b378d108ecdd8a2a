import type { RegistrationRecord } from '../../../src/domain/registration/registration-record.js';
import type { RegistrationRepository } from '../../../src/domain/ports/registration-repository.port.js';
import type { Tx } from '../../../src/domain/ports/unit-of-work.port.js';
import type { FakeDb } from './fake-db.js';

export class FakeRegistrations implements RegistrationRepository {
  constructor(private readonly db: FakeDb) {}
  async record(entry: RegistrationRecord, tx: Tx): Promise<void> {
    this.db.inTx(tx).registrations.push(entry);
  }
  async markActivated(): Promise<void> {}
}
