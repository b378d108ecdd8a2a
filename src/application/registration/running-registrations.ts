/**
 * Registrations running on this instance, by email and token. A double submit (a double click, a
 * retried POST) reaches the instance answering the first one while it runs: it waits for that run and
 * gets the same answer, and nothing is written or sent twice — a registration is a single statement,
 * often committed before its twin reaches the database, where the twin would otherwise look like
 * someone registering again. Twins overlapping on two instances are caught by the database (the
 * unique email index); a submit after the first was answered is registering again, and is handled so.
 */
export class RunningRegistrations<T> {
  private readonly running = new Map<string, Promise<T>>();

  /** `work`'s answer — or, when the same email and token are being registered already, that run's (if it fails, this one runs). */
  async run(email: string, tokenId: string, work: () => Promise<T>): Promise<T> {
    const key = `${tokenId}\u0000${email}`;
    const first = this.running.get(key);
    if (first) {
      try {
        return await first;
      } catch {
        // The first run failed: this submit tries on its own.
      }
    }
    const mine = work();
    this.running.set(key, mine);
    try {
      return await mine;
    } finally {
      if (this.running.get(key) === mine) this.running.delete(key);
    }
  }
}
