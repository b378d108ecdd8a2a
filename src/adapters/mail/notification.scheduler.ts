import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { LoggerPort } from '../../domain/ports/logger.port.js';
import type { PortalDetails } from '../../application/notifications/portal-details.js';
import type { SendDueDigests } from '../../application/notifications/send-due-digests.use-case.js';
import type { LifecycleContribution } from '../../types.js';
import { describeFailure } from './delivery-policy.js';

/** A store that keeps sent things for a while (the outbox's mail, the digests' entries). */
export interface SentPurge {
  /** Removes what was sent before `before`; how many. */
  purgeSent(before: Date): Promise<number>;
}

const HOUR_MS = 60 * 60 * 1000;
/** Sent mail and sent digests' entries are kept this long, then removed. */
export const RETENTION_MS = 30 * 24 * HOUR_MS;

/**
 * The notifications' background work: keeps the portal's details fresh for registrations (which may not
 * read them inside their transaction), sends the daily digests that are due, and once an hour removes
 * old sent mail and old digest entries. Every instance may run it: digests are claimed once.
 */
export class NotificationScheduler implements LifecycleContribution {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private lastPurge = 0;

  constructor(
    private readonly portal: PortalDetails,
    private readonly sendDigests: SendDueDigests,
    private readonly outbox: SentPurge,
    private readonly digests: SentPurge,
    private readonly clock: ClockPort,
    private readonly logger: LoggerPort,
    private readonly checkMs: number,
    /** Delivered webhook deliveries, removed after the same retention (absent in tests that do not care). */
    private readonly deliveries: SentPurge | null = null,
  ) {}

  async start(): Promise<void> {
    if (!this.stopped) return;
    // Registrations right after start already know the primary admin.
    await this.portal.refresh();
    this.stopped = false;
    this.schedule(Math.min(1000, this.checkMs));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  get active(): boolean {
    return this.timer !== null || this.running !== null;
  }

  /** One round: due digests (they leave as soon as each is committed: the outbox wakes its worker), and the hourly clean-up. */
  async tick(): Promise<{ digests: number; messages: number }> {
    const sent = await this.sendDigests.execute();
    const now = this.clock.now().getTime();
    if (now - this.lastPurge >= HOUR_MS) {
      this.lastPurge = now;
      const before = new Date(now - RETENTION_MS);
      const [mails, entries, webhooks] = await Promise.all([this.outbox.purgeSent(before), this.digests.purgeSent(before), this.deliveries?.purgeSent(before) ?? 0]);
      if (mails + entries + webhooks > 0) this.logger.info('Removed old sent mail, digest entries and delivered webhooks', { mails, entries, webhooks });
    }
    return sent;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick()
        .then(() => undefined)
        .catch((e: unknown) => this.logger.error('Notification round failed; will try again', { error: describeFailure(e) }))
        .finally(() => {
          this.running = null;
          this.schedule(this.checkMs);
        });
    }, delayMs);
    this.timer.unref();
  }
}
