import type { Tx } from './unit-of-work.port.js';

/** Bookkeeping of the seat-limit alert: at most one per day (in the portal's time zone). */
export interface SeatAlertRepository {
  /** Claims `day` (YYYY-MM-DD) atomically: true for the first caller of that day, false afterwards. */
  claimDay(day: string, at: Date, tx: Tx): Promise<boolean>;
}
