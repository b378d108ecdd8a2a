import type { Tx, UnitOfWork } from '../../../src/domain/ports/unit-of-work.port.js';
import type { FakeDb } from './fake-db.js';

/** Snapshots the shared state when work starts and restores it when the work rejects; no nesting. */
export class FakeUnitOfWork implements UnitOfWork {
  private count = 0;
  constructor(private readonly db: FakeDb) {}

  async run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.db.openTx) throw new Error('nested unit of work');
    const snapshot = structuredClone(this.db.state);
    const tx: Tx = { tx: ++this.count };
    this.db.openTx = tx;
    try {
      const result = await work(tx);
      this.db.commits += 1;
      return result;
    } catch (e) {
      this.db.state = snapshot;
      this.db.rollbacks += 1;
      throw e;
    } finally {
      this.db.openTx = null;
    }
  }
}
