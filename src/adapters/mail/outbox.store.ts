import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { MailTemplate, OutgoingMail } from '../../domain/mail/outgoing-mail.js';
import type { OutboxPort } from '../../domain/ports/outbox.port.js';
import type { FailedMail, MailQueueStatus } from '../../domain/mail/mail-queue.js';
import type { MailQueueAdmin } from '../../domain/ports/mail-queue-admin.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import type { PluginOptions } from '../../contract/index.js';
import { TYPES } from '../../types.js';
import { dateOrNull, idString, on } from '../shared/knex-helpers.js';
import { DueSignal } from '../shared/due-signal.js';
import { claimDue } from '../shared/claim-due.js';

export interface OutboxMessage {
  readonly id: string;
  readonly messageId: string;
  readonly to: string;
  readonly template: MailTemplate;
  readonly data: Record<string, unknown>;
  /** Tries so far, this one included (the claim counts it). */
  readonly attempts: number;
  /** Earlier tries that never reached an SMTP server. */
  readonly outageRetries: number;
}

export interface OutboxCounts {
  readonly queued: number;
  readonly sent: number;
  readonly failed: number;
}

const TABLE = 'selfreg_outbox';
const ERROR_LENGTH = 2000;

/**
 * The transactional outbox: mail is a row written with the change that causes it, and leaves only
 * after that change committed. Claims use FOR UPDATE SKIP LOCKED so several workers never share a row;
 * a claim is a lease, so a message whose worker died is claimed again when the lease runs out.
 *
 * Results are fenced by the try they belong to (`attempts`): a worker whose lease lapsed and whose
 * message another worker claimed since cannot overwrite the newer try's outcome.
 *
 * Whatever it queues or re-queues raises "mail is due" (onDue) once it is committed, so this
 * instance's worker sends it at once; the worker's poll catches the rest (other instances, retries).
 */
@injectable()
export class KnexOutbox implements OutboxPort, MailQueueAdmin {
  private readonly messageIdDomain: string;
  private readonly due = new DueSignal();

  constructor(
    @inject(TYPES.Database) private readonly knex: Knex,
    @inject(TYPES.Options) options: PluginOptions,
  ) {
    this.messageIdDomain = (options.mailFrom ?? '').split('@')[1]?.replace(/[^A-Za-z0-9.-]/g, '') || 'self-registration.invalid';
  }

  /** Calls `listener` whenever mail queued or re-queued here has committed, until the returned function is called. */
  onDue(listener: () => void): () => void {
    return this.due.on(listener);
  }

  async enqueue(mail: OutgoingMail, tx: Tx): Promise<void> {
    await on(this.knex, tx)(TABLE).insert(this.rowFor(mail));
    this.due.afterCommit(tx);
  }

  /** For a store that writes an outbox row itself (in a statement of its own): mail is due once `tx` commits. */
  queuedIn(tx?: Tx): void {
    this.due.afterCommit(tx);
  }

  /** Many messages in one statement (bulk notifications, benchmarks). */
  async enqueueMany(mails: readonly OutgoingMail[], tx?: Tx): Promise<void> {
    const db = on(this.knex, tx);
    for (let i = 0; i < mails.length; i += 500) await db(TABLE).insert(mails.slice(i, i + 500).map((m) => this.rowFor(m)));
    if (mails.length > 0) this.due.afterCommit(tx);
  }

  /** The `selfreg_outbox` row of a message. */
  rowFor(mail: OutgoingMail): Record<string, unknown> {
    return {
      // Fixed now, so every retry carries the same Message-ID and receivers can drop duplicates.
      message_id: `<${randomUUID()}@${this.messageIdDomain}>`,
      recipient: mail.to,
      template: mail.template,
      data: JSON.stringify(mail.data),
    };
  }

  /**
   * Claims up to `limit` due messages for `leaseMs`, oldest first: queued ones whose time has come,
   * and ones whose lease lapsed (their worker died mid-send).
   */
  async claimDue(limit: number, leaseMs: number): Promise<OutboxMessage[]> {
    type Row = { id: unknown; message_id: string; recipient: string; template: MailTemplate; data: unknown; attempts: number; outage_retries: number };
    const rows = await claimDue<Row>(this.knex, TABLE, { limit, leaseMs, returning: ['id', 'message_id', 'recipient', 'template', 'data', 'attempts', 'outage_retries'] });
    return rows
      .map((r) => ({
        id: idString(r.id),
        messageId: r.message_id,
        to: r.recipient,
        template: r.template,
        data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
        attempts: r.attempts,
        outageRetries: r.outage_retries ?? 0,
      }))
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  async markSent(id: string): Promise<void> {
    await this.markSentMany([id]);
  }

  /**
   * Marks messages sent in one statement. The data they were rendered from (which holds emailed link
   * secrets) is not needed any more and is dropped, so a database dump holds no usable link.
   */
  async markSentMany(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.knex(TABLE)
      .whereIn('id', ids)
      .andWhere('status', 'sending')
      .update({ status: 'sent', sent_at: this.knex.fn.now(), locked_until: null, last_error: null, data: '{}' });
  }

  /**
   * Back in the queue after `delayMs`. `attempts` fences the update to the try that failed. An
   * outage (no SMTP server reached) is not counted as a try: the claim's count is given back.
   */
  async markRetry(id: string, error: string, delayMs: number, opts: { attempts?: number; outage?: boolean } = {}): Promise<void> {
    const q = this.knex(TABLE).where({ id, status: 'sending' });
    if (opts.attempts !== undefined) q.andWhere('attempts', opts.attempts);
    await q.update({
      status: 'queued',
      locked_until: null,
      last_error: error.slice(0, ERROR_LENGTH),
      next_attempt_at: this.knex.raw(`now() + (? * interval '1 millisecond')`, [Math.max(0, Math.round(delayMs))]),
      ...(opts.outage ? { attempts: this.knex.raw('greatest(attempts - 1, 0)'), outage_retries: this.knex.raw('outage_retries + 1') } : { outage_retries: 0 }),
    });
  }

  /** Parked: no more tries until an admin retries it. */
  async markFailed(id: string, error: string, opts: { attempts?: number } = {}): Promise<void> {
    const q = this.knex(TABLE).where({ id, status: 'sending' });
    if (opts.attempts !== undefined) q.andWhere('attempts', opts.attempts);
    await q.update({ status: 'failed', locked_until: null, last_error: error.slice(0, ERROR_LENGTH), failed_at: this.knex.fn.now() });
  }

  /** The SMTP server answers again: mail that waited for it is due now instead of after its backoff. */
  async wakeAfterOutage(): Promise<number> {
    const rows = await this.knex(TABLE)
      .where('status', 'queued')
      .andWhere('outage_retries', '>', 0)
      .andWhere('next_attempt_at', '>', this.knex.fn.now())
      .update({ next_attempt_at: this.knex.fn.now() })
      .returning('id');
    return rows.length;
  }

  async counts(): Promise<OutboxCounts> {
    const rows: { status: string; n: string | number }[] = await this.knex(TABLE).select('status').count({ n: '*' }).groupBy('status');
    const by = (s: string[]) => rows.filter((r) => s.includes(r.status)).reduce((sum, r) => sum + Number(r.n), 0);
    return { queued: by(['queued', 'sending']), sent: by(['sent']), failed: by(['failed']) };
  }

  async status(): Promise<MailQueueStatus> {
    const [counts, waiting] = await Promise.all([
      this.counts(),
      this.knex(TABLE)
        .whereIn('status', ['queued', 'sending'])
        .select(
          this.knex.raw('count(*) filter (where last_error is not null) as retrying'),
          this.knex.raw('min(created_at) as oldest'),
        )
        .first() as Promise<{ retrying: string | number; oldest: unknown } | undefined>,
    ]);
    const last: { last_error: string } | undefined = await this.knex(TABLE)
      .whereIn('status', ['queued', 'sending'])
      .whereNotNull('last_error')
      .orderBy('next_attempt_at', 'desc')
      .first('last_error');
    return {
      ...counts,
      retrying: Number(waiting?.retrying ?? 0),
      oldestQueuedAt: dateOrNull(waiting?.oldest),
      lastRetryError: last?.last_error ?? null,
    };
  }

  async latestFailures(limit: number): Promise<FailedMail[]> {
    const rows: { id: unknown; recipient: string; template: MailTemplate; attempts: number; last_error: string | null; failed_at: unknown; created_at: unknown }[] =
      await this.knex(TABLE)
        .where('status', 'failed')
        .orderByRaw('failed_at desc nulls last, id desc')
        .limit(limit)
        .select('id', 'recipient', 'template', 'attempts', 'last_error', 'failed_at', 'created_at');
    return rows.map((r) => ({
      id: idString(r.id),
      to: r.recipient,
      template: r.template,
      attempts: r.attempts,
      error: r.last_error ?? '',
      failedAt: dateOrNull(r.failed_at),
      createdAt: new Date(r.created_at as string),
    }));
  }

  async retry(id: string): Promise<boolean> {
    const rows = await this.knex(TABLE).where({ id, status: 'failed' }).update(this.requeue()).returning('id');
    if (rows.length === 1) this.due.raise();
    return rows.length === 1;
  }

  async retryAllFailed(): Promise<number> {
    const rows = await this.knex(TABLE).where({ status: 'failed' }).update(this.requeue()).returning('id');
    if (rows.length > 0) this.due.raise();
    return rows.length;
  }

  /** Back in the queue, due now, with a fresh count of tries. The Message-ID stays. */
  private requeue() {
    return { status: 'queued', attempts: 0, outage_retries: 0, next_attempt_at: this.knex.fn.now(), locked_until: null, failed_at: null };
  }

  /** Sent messages are kept for a while (counts, diagnostics), then removed. */
  async purgeSent(before: Date, limit = 5000): Promise<number> {
    const old = this.knex(TABLE).where('status', 'sent').andWhere('sent_at', '<', before).orderBy('sent_at').limit(limit).select('id');
    const rows = await this.knex(TABLE).whereIn('id', old).delete().returning('id');
    return rows.length;
  }
}
