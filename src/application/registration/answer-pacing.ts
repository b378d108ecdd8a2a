import type { Millis } from '../shared/read-cache.js';

/**
 * "Check your inbox" must not take longer for a new email than for a known one (item 2 of
 * security.md): creating an account does more work and waits behind the seat claim. So the time
 * new-account registrations take is followed (a moving average), and the other accepted answers
 * (known, pending, suspended emails) are held back until they took as long, up to a second.
 */
export class AnswerPacing {
  /** Moving average of how long registering a new account takes, in ms (0 until one was made). */
  private newAccountMs = 0;

  /**
   * `millis`: a monotonic clock in ms. `pause`: waits `ms` (a timer, not work); absent, nothing is
   * held back.
   */
  constructor(
    private readonly millis: Millis,
    private readonly pause?: (ms: number) => Promise<void>,
  ) {}

  /** When an answer's work started, for `settle`. */
  started(): number {
    return this.millis();
  }

  /** After an accepted answer: follows a new account's time, or holds the answer back to that pace. */
  async settle(created: boolean, startedAt: number): Promise<void> {
    const elapsedMs = this.millis() - startedAt;
    if (created) {
      this.newAccountMs = this.newAccountMs === 0 ? elapsedMs : this.newAccountMs * 0.9 + elapsedMs * 0.1;
      return;
    }
    const wait = Math.min(this.newAccountMs - elapsedMs, 1000);
    if (wait > 0 && this.pause) await this.pause(wait);
  }
}
