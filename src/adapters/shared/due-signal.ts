import type { Tx } from '../../domain/ports/unit-of-work.port.js';

/** What knex hangs on a transaction object: settles when it commits (resolves) or rolls back (rejects). */
interface KnexTransactor {
  readonly executionPromise?: Promise<unknown>;
  /** Set on a nested transaction (a savepoint): only the outermost one's commit makes rows visible. */
  readonly parentTransaction?: KnexTransactor;
}

/**
 * "Rows are due": raised by the outbox once what it wrote is visible to other connections — after the
 * transaction that queued or re-queued messages committed (never when it rolled back), at once for a
 * statement that ran on its own. Whoever sends them (mail, webhook deliveries) listens; nobody who writes it knows who that is.
 */
export class DueSignal {
  private readonly listeners = new Set<() => void>();
  /** Transactions already waited on: a registration that queues three messages raises one signal. */
  private readonly waiting = new WeakSet<object>();

  /** Calls `listener` on every signal until the returned function is called. */
  on(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Raises the signal once `tx` has committed; without a transaction (or outside knex's), now. */
  afterCommit(tx?: Tx): void {
    let top = tx as KnexTransactor | undefined;
    while (top?.parentTransaction) top = top.parentTransaction;
    const done = top?.executionPromise;
    if (!top || !done) return this.raise();
    if (this.waiting.has(top)) return;
    this.waiting.add(top);
    done.then(() => this.raise(), () => undefined);
  }

  raise(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // A listener's failure is its own: the write that raised the signal has committed.
      }
    }
  }
}
