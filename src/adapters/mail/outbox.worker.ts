import type { LoggerPort } from '../../domain/ports/logger.port.js';
import type { PortalInfo, PortalPort } from '../../domain/ports/host.ports.js';
import type { KnexOutbox, OutboxMessage } from './outbox.store.js';
import type { MailRenderer } from './mail-renderer.js';
import type { MailSender } from './mail-sender.js';

export interface OutboxWorkerOptions {
  readonly from: string;
  readonly pollMs: number;
  readonly batchSize?: number;
  readonly maxAttempts?: number;
  readonly leaseMs?: number;
  /** Backoff before try n+1 is baseDelayMs * 2^(n-1), with ±25 % jitter, capped at one hour. */
  readonly baseDelayMs?: number;
}

/**
 * Drains the outbox: claims due messages, renders and sends them, and records the result.
 * `nudge()` after a commit sends at once; the poll catches everything else (retries, other instances).
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(
    private readonly outbox: KnexOutbox,
    private readonly renderer: MailRenderer,
    private readonly sender: MailSender,
    private readonly portal: PortalPort,
    private readonly logger: LoggerPort,
    private readonly options: OutboxWorkerOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    this.sender.close();
  }

  /** True while a poll is scheduled or a drain is in flight. */
  get active(): boolean {
    return this.timer !== null || this.running !== null;
  }

  /** Ask for a drain now (after a registration committed). */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Drains until nothing is due; resolves when done. Safe to call directly in tests and benchmarks. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const batch = await this.outbox.claimDue(this.options.batchSize ?? 50, this.options.leaseMs ?? 120_000);
      if (batch.length === 0) return total;
      const portal = await this.portal.info();
      await Promise.all(batch.map((m) => this.deliver(m, portal)));
      total += batch.length;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.drain()
        .then(() => undefined)
        .catch((e: unknown) => this.logger.error('Outbox drain failed; will retry', { error: String(e) }))
        .finally(() => {
          this.running = null;
          const again = this.again;
          this.again = false;
          this.schedule(again ? 0 : this.options.pollMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  private async deliver(message: OutboxMessage, portal: PortalInfo): Promise<void> {
    try {
      const rendered = await this.renderer.render(message.template, message.data, portal);
      await this.sender.send({ from: this.options.from, to: message.to, messageId: message.messageId, portalName: portal.name }, rendered);
      await this.outbox.markSent(message.id);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      if (message.attempts >= (this.options.maxAttempts ?? 8)) {
        this.logger.error('Mail failed for good; parked as failed', { id: message.id, error });
        await this.outbox.markFailed(message.id, error);
      } else {
        const base = (this.options.baseDelayMs ?? 5_000) * 2 ** (message.attempts - 1);
        const delay = Math.min(3_600_000, base * (0.75 + Math.random() * 0.5));
        this.logger.warn('Mail not sent; will retry', { id: message.id, attempt: message.attempts, error });
        await this.outbox.markRetry(message.id, error, delay);
      }
    }
  }
}
