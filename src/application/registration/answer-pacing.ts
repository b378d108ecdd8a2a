import type { Millis } from '../shared/read-cache.js';

/**
 * "Check your inbox" must take as long for a new email as for a known one (item 2 of security.md).
 * Which path is slower depends on the host: creating an account may be one statement, answering a
 * known email several. So the time each kind takes is followed (a moving average of its work), and
 * every accepted answer is held back until it took as long as the slower kind, up to a second.
 */
export class AnswerPacing {
  /** Moving average of how long registering a new account takes, in ms (0 until one was made). */
  private newAccountMs = 0;
  /** The same for the other accepted answers (known, pending, suspended emails). */
  private knownMs = 0;

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

  /** After an accepted answer: follows its kind's time, and holds it back to the slower kind's pace. */
  async settle(created: boolean, startedAt: number): Promise<void> {
    const elapsedMs = this.millis() - startedAt;
    const follow = (avg: number) => (avg === 0 ? elapsedMs : avg * 0.9 + elapsedMs * 0.1);
    const pace = Math.max(this.newAccountMs, this.knownMs);
    if (created) this.newAccountMs = follow(this.newAccountMs);
    else this.knownMs = follow(this.knownMs);
    const wait = Math.min(pace - elapsedMs, 1000);
    if (wait > 0 && this.pause) await this.pause(wait);
  }
}
