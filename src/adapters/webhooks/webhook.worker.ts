import type { LoggerPort } from '../../domain/ports/logger.port.js';
import { nextDeliveryStep, type WebhookRetryPolicy } from '../../domain/webhooks/delivery-decision.js';
import { backoff } from '../shared/backoff.js';
import { DrainLoop, drainBatches, Lanes, withRetries } from '../shared/delivery-pipeline.js';
import type { WebhookSecretBox } from '../crypto/crypto.adapters.js';
import type { TimedOutcome, WebhookHttpClient } from './webhook-http-client.js';
import type { ClaimedDelivery, KnexWebhookOutbox, TryResult } from './webhook-outbox.store.js';
import { deliveryHeaders } from './webhook-signature.js';

export interface WebhookWorkerOptions {
  readonly pollMs: number;
  readonly policy: WebhookRetryPolicy;
  /** Deliveries on the wire at once (default 10). */
  readonly concurrency?: number;
  /** Deliveries claimed at once (default 250). */
  readonly batchSize?: number;
  /** The longest a try takes (the client's timeout, default 10 s): the lease is sized from it. */
  readonly timeoutMs?: number;
  /**
   * How long a claim holds a delivery. Default: long enough for two batches sent one after the other
   * with every try timing out (a batch is claimed while the one before it is still on the wire), so a
   * slow receiver never lets a claim lapse into a second send; at least 2 minutes.
   */
  readonly leaseMs?: number;
  readonly random?: () => number;
}

/** Told when an endpoint must stop receiving: it answered 410 Gone, or a delivery's every try failed. */
export type EndpointFailed = (endpointId: string, reason: string) => Promise<void>;

type Context = Map<string, { url: string; secrets: string[]; failing: boolean } | null>;

/**
 * Drains the webhook outbox as the mail worker drains mail (the same loop, lanes and pipeline):
 * claims due deliveries, signs each try (Standard Webhooks; during a rotation's overlap with both
 * secrets), POSTs them in parallel, records each batch's tries in one statement, and acts on what
 * the domain decides — retry with backoff (honouring Retry-After), fail, disable the endpoint.
 */
export class WebhookWorker {
  private readonly loop: DrainLoop;
  private readonly batchSize: number;
  private readonly leaseMs: number;

  constructor(
    private readonly outbox: KnexWebhookOutbox,
    private readonly client: WebhookHttpClient,
    private readonly box: WebhookSecretBox,
    private readonly logger: LoggerPort,
    private readonly endpointFailed: EndpointFailed,
    private readonly options: WebhookWorkerOptions,
  ) {
    this.batchSize = options.batchSize ?? 250;
    const rounds = Math.ceil(this.batchSize / (options.concurrency ?? 10));
    this.leaseMs = options.leaseMs ?? Math.max(120_000, 2 * rounds * ((options.timeoutMs ?? 10_000) + 1000));
    this.loop = new DrainLoop(() => this.drain(), options.pollMs, (e) => this.logger.error('Webhook drain failed; will retry', { error: e instanceof Error ? e.message : String(e) }));
  }

  start(): void {
    this.loop.start((nudge) => this.outbox.onDue(nudge));
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    this.client.close();
  }

  get active(): boolean {
    return this.loop.active;
  }

  /** Drains until nothing is due; resolves with how many tries it made. Safe to call directly (tests, benchmarks). */
  drain(): Promise<number> {
    return drainBatches<Context, TimedOutcome, ClaimedDelivery>({
      lanes: new Lanes(this.options.concurrency ?? 10),
      claim: () => this.claim(),
      attempt: (d, context) => this.attempt(d, context),
      record: (batch, results, context) => this.record(batch, results, context),
      stopping: () => this.loop.stopping,
    });
  }

  private async claim(): Promise<{ batch: ClaimedDelivery[]; context: Context }> {
    const { deliveries: batch, targets } = await this.outbox.claimBatch(this.batchSize, this.leaseMs);
    const now = Date.now();
    const context: Context = new Map();
    for (const [id, t] of targets) {
      try {
        const secrets = [this.box.decrypt(t.secret)];
        if (t.previousSecret && t.previousUntil && t.previousUntil.getTime() > now) secrets.push(this.box.decrypt(t.previousSecret));
        context.set(id, { url: t.url, secrets, failing: t.failing });
      } catch {
        // A secret that no longer decrypts (the plugin secret changed): nothing can be signed.
        context.set(id, null);
      }
    }
    return { batch, context };
  }

  private async attempt(d: ClaimedDelivery, context: Context): Promise<TimedOutcome> {
    const target = context.get(d.endpointId);
    if (!target) return { kind: 'unreachable', error: 'The endpoint’s signing secret cannot be read (was the plugin secret changed?)', durationMs: 0 };
    return this.client.post(target.url, deliveryHeaders(target.secrets, d.messageId, d.body, new Date()), d.body);
  }

  private async record(batch: readonly ClaimedDelivery[], results: readonly TimedOutcome[], context: Context): Promise<void> {
    const now = new Date();
    const tries: TryResult[] = [];
    const failedBy = new Map<string, number>();
    const succeeded: string[] = [];
    const disable = new Map<string, string>();
    batch.forEach((d, i) => {
      const outcome = results[i]!;
      const step = nextDeliveryStep(outcome, d, now, this.options.policy, (n) => backoff(n, this.options.policy.baseDelayMs, this.options.policy.maxDelayMs, this.options.random));
      const code = outcome.kind === 'answered' ? outcome.status : null;
      const error = outcome.kind === 'unreachable' ? outcome.error : step.kind === 'delivered' ? null : `HTTP ${code}`;
      const status = step.kind === 'delivered' ? 'delivered' : step.kind === 'retry' ? 'queued' : 'failed';
      tries.push({ id: d.id, attempts: d.attempts, status, code, ms: outcome.durationMs, error, delay: step.kind === 'retry' ? step.delayMs : 0 });
      if (d.test) return;
      if (step.kind === 'delivered') {
        if (context.get(d.endpointId)?.failing) succeeded.push(d.endpointId);
      }
      else failedBy.set(d.endpointId, (failedBy.get(d.endpointId) ?? 0) + 1);
      if (step.kind === 'fail' && step.disableEndpoint && !disable.has(d.endpointId)) {
        disable.set(d.endpointId, step.reason === 'gone' ? 'The endpoint answered 410 Gone' : `A delivery failed every try for ${Math.round(this.options.policy.windowMs / 3_600_000)} hours (last: ${error})`);
      }
    });
    await withRetries(() => this.outbox.recordTries(tries));
    if (failedBy.size > 0 || succeeded.length > 0) await withRetries(() => this.outbox.countFailures(failedBy, succeeded));
    for (const [endpointId, reason] of disable) {
      this.logger.warn('Webhook endpoint disabled', { endpointId, reason });
      await this.endpointFailed(endpointId, reason);
    }
    const failed = tries.filter((t) => t.status !== 'delivered');
    if (failed.length > 0) this.logger.warn('Webhook deliveries not delivered; tries recorded', { failed: failed.length, example: failed[0]!.error });
  }
}
