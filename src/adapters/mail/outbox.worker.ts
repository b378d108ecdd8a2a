import type { LoggerPort } from '../../domain/ports/logger.port.js';
import type { PortalInfo } from '../../domain/shared/portal-info.js';
import type { PortalPort } from '../../domain/ports/portal.port.js';
import type { Branding } from '../../domain/branding/branding-settings.js';
import type { KnexOutbox, OutboxMessage } from './outbox.store.js';
import type { MailRenderer } from './mail-renderer.js';
import type { MailSender } from './mail-sender.js';
import { Lanes, DrainLoop, drainBatches, withRetries } from '../shared/delivery-pipeline.js';
import { classifyFailure, DEFAULT_RETRY_POLICY, describeFailure, nextStep, type FailureKind, type RetryPolicy } from './delivery-policy.js';

export interface OutboxWorkerOptions {
  readonly from: string;
  readonly pollMs: number;
  /** Messages claimed at once (default 200). */
  readonly batchSize?: number;
  /** Tries before a message that keeps failing temporarily is parked (default 10). */
  readonly maxAttempts?: number;
  /** How long a claim holds a message; a worker that dies loses its claims when it runs out (default 2 min). */
  readonly leaseMs?: number;
  /** The first retry waits about this long, each next one twice as long, ±25 % jitter (default 30 s). */
  readonly baseDelayMs?: number;
  /** Longest wait between tries while no SMTP server can be reached (default 5 min). */
  readonly maxOutageDelayMs?: number;
  /** [0, 1) — the jitter's randomness (tests pin it). */
  readonly random?: () => number;
}

/** Where the emails' branding comes from (the plugin's settings); read once per batch. */
export interface BrandingSource {
  branding(): Promise<Branding>;
}

/**
 * Drains the outbox: claims due messages, renders and sends them in parallel over the pooled
 * transport, and records the results (every success of a batch in one statement).
 * While started it listens to its outbox: mail this instance queued or re-queued is sent as soon as
 * the transaction that wrote it commits; the poll catches everything else (retries, other instances).
 *
 * Delivery is at least once and, in practice, exactly once: a message is marked sent right after the
 * server accepted it; only a worker dying between the two sends it again, with the same Message-ID.
 */
export class OutboxWorker {
  private senderInstance: MailSender | null = null;
  private readonly policy: RetryPolicy;
  private readonly loop: DrainLoop;

  constructor(
    private readonly outbox: KnexOutbox,
    private readonly renderer: MailRenderer,
    private readonly senderFactory: MailSender | (() => MailSender),
    private readonly portal: PortalPort,
    private readonly logger: LoggerPort,
    private readonly options: OutboxWorkerOptions,
    private readonly brandingSource: BrandingSource | null = null,
  ) {
    this.policy = {
      maxAttempts: options.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts,
      baseDelayMs: options.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
      maxDelayMs: DEFAULT_RETRY_POLICY.maxDelayMs,
      maxOutageDelayMs: options.maxOutageDelayMs ?? DEFAULT_RETRY_POLICY.maxOutageDelayMs,
    };
    this.loop = new DrainLoop(() => this.drain(), options.pollMs, (e) => this.logger.error('Outbox drain failed; will retry', { error: describeFailure(e) }));
  }

  start(): void {
    this.loop.start((nudge) => this.outbox.onDue(nudge));
  }

  /** Stops polling, lets the batch in flight finish (claiming no further one), and closes the transport. */
  async stop(): Promise<void> {
    await this.loop.stop();
    this.senderInstance?.close();
    this.senderInstance = null;
  }

  /** True while a poll is scheduled or a drain is in flight. */
  get active(): boolean {
    return this.loop.active;
  }

  /** Ask for a drain now (the outbox does when mail it wrote has committed). */
  nudge(): void {
    this.loop.nudge();
  }

  /**
   * Drains until nothing is due (or stop() is called); resolves with how many messages it handled.
   * Safe to call directly in tests and benchmarks, and from several workers at once.
   */
  drain(): Promise<number> {
    return drainBatches({
      lanes: new Lanes(this.sender().concurrency),
      claim: () => this.claim(),
      attempt: (m: OutboxMessage, context: Claimed['context']) => this.attempt(m, context),
      record: (batch, results) => this.record(batch, results),
      stopping: () => this.loop.stopping,
    });
  }

  /** Reads what rendering needs, then claims: if the reading fails, nothing is held under a lease. */
  private async claim(): Promise<Claimed> {
    const context = await this.context();
    const batch = await this.outbox.claimDue(this.options.batchSize ?? 200, this.options.leaseMs ?? 120_000);
    return { batch, context };
  }

  /** Every success of a batch in one statement; failures one by one (they are rare). */
  private async record(batch: readonly OutboxMessage[], results: readonly unknown[]): Promise<void> {
    const sent = batch.filter((_, i) => results[i] === null);
    await withRetries(() => this.outbox.markSentMany(sent.map((m) => m.id)));
    const failed = batch.flatMap((m, i) => (results[i] === null ? [] : [{ message: m, error: results[i] }]));
    if (failed.length > 0) await this.recordFailures(failed);
    // Back from an outage: the mail that waited for the server need not wait out its backoff.
    if (sent.some((m) => m.outageRetries > 0)) await this.outbox.wakeAfterOutage();
  }

  private sender(): MailSender {
    if (!this.senderInstance) this.senderInstance = typeof this.senderFactory === 'function' ? this.senderFactory() : this.senderFactory;
    return this.senderInstance;
  }

  private async context(): Promise<{ portal: PortalInfo; branding: Branding | null }> {
    const [portal, branding] = await Promise.all([this.portal.info(), this.brandingSource ? this.brandingSource.branding() : Promise.resolve(null)]);
    return { portal, branding };
  }

  /** Null when sent; the error otherwise. */
  private async attempt(message: OutboxMessage, context: { portal: PortalInfo; branding: Branding | null }): Promise<unknown> {
    try {
      const rendered = await this.renderer.render(message.template, message.data, context.portal, context.branding);
      await this.sender().send({ from: this.options.from, to: message.to, messageId: message.messageId, portalName: context.portal.name }, rendered);
      return null;
    } catch (e) {
      return e ?? new Error('Unknown failure');
    }
  }

  private async recordFailures(failed: { message: OutboxMessage; error: unknown }[]): Promise<void> {
    const byKind = new Map<FailureKind, number>();
    let example = '';
    for (const { message, error } of failed) {
      const kind = classifyFailure(error);
      const text = describeFailure(error);
      const step = nextStep(kind, message.attempts, message.outageRetries, this.policy, this.options.random);
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
      example ||= text;
      if (step.kind === 'fail') {
        this.logger.error('Mail failed for good; parked as failed until an admin retries it', { id: message.id, template: message.template, attempts: message.attempts, error: text });
        await withRetries(() => this.outbox.markFailed(message.id, text, { attempts: message.attempts }));
      } else {
        await withRetries(() => this.outbox.markRetry(message.id, text, step.delayMs, { attempts: message.attempts, outage: step.outage }));
      }
    }
    this.logger.warn('Mail not sent; failures recorded', { failed: failed.length, ...Object.fromEntries(byKind), error: example });
  }
}

interface Claimed {
  readonly batch: readonly OutboxMessage[];
  readonly context: { portal: PortalInfo; branding: Branding | null };
}
