import type { Tx } from './unit-of-work.port.js';

export interface SeatsPort {
  /** Seats left; null when the subscription is unlimited. */
  available(tx?: Tx): Promise<number | null>;
  /**
   * Atomically takes one seat for a user being created in `tx` (a conditional update or a
   * transaction-scoped lock). False when none is left; the caller then rolls back.
   */
  claim(tx: Tx): Promise<boolean>;
  /** Optional: true when a commit failed because the host refused the seat at commit (see the host contract). */
  refusedAtCommit?(error: unknown): boolean;
}
