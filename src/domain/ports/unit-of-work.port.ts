/**
 * An open database transaction, opaque to the domain. Hosts receive the plugin's transaction in
 * every port call that writes, and must run their statements on it, so that one registration
 * (user, seat, enrolment, record, queued mail) commits or rolls back as a whole.
 */
export type Tx = object;

export interface UnitOfWork {
  /** Runs `work` in one transaction; commits when it resolves, rolls back when it rejects. */
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}
