import type { OutboxPort, OutgoingMail } from '../../../src/domain/ports/repositories.port.js';
import type { Tx } from '../../../src/domain/ports/unit-of-work.port.js';
import type { FakeDb } from './fake-db.js';

export class FakeOutbox implements OutboxPort {
  constructor(private readonly db: FakeDb) {}
  async enqueue(mail: OutgoingMail, tx: Tx): Promise<void> {
    this.db.inTx(tx).outbox.push(mail);
  }
}
