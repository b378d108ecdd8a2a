import type { OutboxPort } from '../../../src/domain/ports/outbox.port.js';
import type { OutgoingMail } from '../../../src/domain/mail/outgoing-mail.js';
import type { Tx } from '../../../src/domain/ports/unit-of-work.port.js';
import type { FakeDb } from './fake-db.js';

export class FakeOutbox implements OutboxPort {
  constructor(private readonly db: FakeDb) {}
  async enqueue(mail: OutgoingMail, tx: Tx): Promise<void> {
    this.db.inTx(tx).outbox.push(mail);
  }
}
