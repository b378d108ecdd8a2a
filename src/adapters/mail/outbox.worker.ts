import type { LoggerPort } from '../../domain/ports/logger.port.js';
import type { PortalInfo } from '../../domain/shared/portal-info.js';
import type { PortalPort } from '../../domain/ports/portal.port.js';
import type { Branding } from '../../domain/branding/branding-settings.js';
import type { KnexOutbox, OutboxMessage } from './outbox.store.js';
import type { MailRenderer } from './mail-renderer.js';
import type { MailSender } from './mail-sender.js';
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
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private stopping = false;
  private senderInstance: MailSender | null = null;
  private stopListening: (() => void) | null = null;
  private readonly policy: RetryPolicy;

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
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopping = false;
    this.stopListening = this.outbox.onDue(() => this.nudge());
    this.schedule(0);
  }

  /** Stops polling, lets the batch in flight finish (claiming no further one), and closes the transport. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    this.stopListening?.();
    this.stopListening = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    this.senderInstance?.close();
    this.senderInstance = null;
  }

  /** True while a poll is scheduled or a drain is in flight. */
  get active(): boolean {
    return this.timer !== null || this.running !== null;
  }

  /** Ask for a drain now (the outbox does when mail it wrote has committed). */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /**
   * Drains until nothing is due (or stop() is called); resolves with how many messages it handled.
   * Safe to call directly in tests and benchmarks, and from several workers at once.
   */
  async drain(): Promise<number> {
    let total = 0;
    // A pipeline: the next batch is claimed while one is on the wire, its messages queue on the same
    // lanes behind the current batch's (no connection idles while a batch finishes), and each batch's
    // results are written as it completes. At most two batches are on the wire, one more claimed.
    const lanes = new Lanes(this.sender().concurrency);
    const batches = new Bookkeeping(1);
    try {
      let next: Promise<Claimed> | null = this.stopping ? null : this.claim();
      while (next) {
        const { batch, context } = await next;
        if (batch.length === 0) break;
        total += batch.length;
        const done = Promise.all(batch.map((m) => lanes.run(() => this.attempt(m, context)))).then((results) => this.record(batch, results));
        next = this.stopping ? null : quietly(this.claim());
        await batches.add(done);
      }
    } finally {
      // Whatever happened, the batches already on the wire finish and are written before drain() settles.
      await batches.settle();
    }
    batches.throwIfFailed();
    return total;
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

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.drain()
        .then(() => undefined)
        .catch((e: unknown) => this.logger.error('Outbox drain failed; will retry', { error: describeFailure(e) }))
        .finally(() => {
          this.running = null;
          const again = this.again;
          this.again = false;
          this.schedule(again ? 0 : this.options.pollMs);
        });
    }, delayMs);
    this.timer.unref();
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

/**
 * Batches in flight (sent, then written). add() returns once at most `limit` batches are unfinished
 * (the one added included) — so with 1 the new batch queues on the lanes while the previous one
 * finishes, and no third is started. The first failure is kept and thrown (drain() stops; the poll
 * tries again later).
 */
class Bookkeeping {
  private readonly inFlight: Promise<void>[] = [];
  private error: unknown = null;

  constructor(private readonly limit: number) {}

  async add(work: Promise<void>): Promise<void> {
    this.inFlight.push(work.catch((e: unknown) => {
      this.error ??= e;
    }));
    while (this.inFlight.length > this.limit) await this.inFlight.shift();
    this.throwIfFailed();
  }

  /** Waits for every write; never throws. */
  async settle(): Promise<void> {
    await Promise.all(this.inFlight.splice(0));
  }

  throwIfFailed(): void {
    if (this.error) throw this.error;
  }
}

/** A promise that is awaited later: a rejection meanwhile is not reported as unhandled. */
function quietly<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** At most `limit` tasks at once, started in the order they were queued. */
class Lanes {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= Math.max(1, this.limit)) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const nextTask = this.waiting.shift();
      // The lane passes straight to the next task; otherwise it is free.
      if (nextTask) nextTask();
      else this.active -= 1;
    }
  }
}

/** Bookkeeping after a send is worth a couple of tries: failing it means the message goes again after its lease. */
async function withRetries(fn: () => Promise<void>, tries = 3): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= tries) throw e;
      await new Promise((resolve) => setTimeout(resolve, 250 * i));
    }
  }
}
