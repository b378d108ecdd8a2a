import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { MailTemplate, OutboxPort, OutgoingMail } from '../../domain/ports/repositories.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import type { PluginOptions } from '../../contract.js';
import { TYPES } from '../../types.js';
import { idString, on } from '../persistence/knex-helpers.js';

export interface OutboxMessage {
  readonly id: string;
  readonly messageId: string;
  readonly to: string;
  readonly template: MailTemplate;
  readonly data: Record<string, unknown>;
  readonly attempts: number;
}

export interface OutboxCounts {
  readonly queued: number;
  readonly sent: number;
  readonly failed: number;
}

const TABLE = 'selfreg_outbox';

/**
 * The transactional outbox: mail is a row written with the change that causes it, and leaves only
 * after that change committed. Claims use FOR UPDATE SKIP LOCKED so several workers never share a row.
 */
@injectable()
export class KnexOutbox implements OutboxPort {
  private readonly messageIdDomain: string;

  constructor(
    @inject(TYPES.Database) private readonly knex: Knex,
    @inject(TYPES.Options) options: PluginOptions,
  ) {
    this.messageIdDomain = (options.mailFrom ?? '').split('@')[1]?.replace(/[^A-Za-z0-9.-]/g, '') || 'self-registration.invalid';
  }

  async enqueue(mail: OutgoingMail, tx: Tx): Promise<void> {
    await on(this.knex, tx)(TABLE).insert({
      // Fixed now, so every retry carries the same Message-ID and receivers can drop duplicates.
      message_id: `<${randomUUID()}@${this.messageIdDomain}>`,
      recipient: mail.to,
      template: mail.template,
      data: JSON.stringify(mail.data),
    });
  }

  /**
   * Claims up to `limit` due messages for `leaseMs`. A message whose worker died mid-send is claimed
   * again once its lease runs out, so nothing is lost.
   */
  async claimDue(limit: number, leaseMs: number): Promise<OutboxMessage[]> {
    type Row = { id: unknown; message_id: string; recipient: string; template: MailTemplate; data: unknown; attempts: number };
    const rows = await this.knex.transaction(async (trx): Promise<Row[]> => {
      const due = trx(TABLE)
        .select('id')
        .where((q) => q.where('status', 'queued').andWhere('next_attempt_at', '<=', trx.fn.now()))
        .orWhere((q) => q.where('status', 'sending').andWhere('locked_until', '<', trx.fn.now()))
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked();
      return trx(TABLE)
        .whereIn('id', due)
        .update({
          status: 'sending',
          attempts: trx.raw('attempts + 1'),
          locked_until: trx.raw(`now() + (? * interval '1 millisecond')`, [leaseMs]),
        })
        .returning(['id', 'message_id', 'recipient', 'template', 'data', 'attempts']) as Promise<Row[]>;
    });
    return rows
      .map((r) => ({
        id: idString(r.id),
        messageId: r.message_id,
        to: r.recipient,
        template: r.template,
        data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
        attempts: r.attempts,
      }))
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  async markSent(id: string): Promise<void> {
    await this.knex(TABLE).where({ id, status: 'sending' }).update({ status: 'sent', sent_at: this.knex.fn.now(), locked_until: null, last_error: null });
  }

  async markRetry(id: string, error: string, delayMs: number): Promise<void> {
    await this.knex(TABLE)
      .where({ id, status: 'sending' })
      .update({
        status: 'queued',
        locked_until: null,
        last_error: error.slice(0, 2000),
        next_attempt_at: this.knex.raw(`now() + (? * interval '1 millisecond')`, [delayMs]),
      });
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.knex(TABLE).where({ id, status: 'sending' }).update({ status: 'failed', locked_until: null, last_error: error.slice(0, 2000) });
  }

  async counts(): Promise<OutboxCounts> {
    const rows: { status: string; n: string | number }[] = await this.knex(TABLE).select('status').count({ n: '*' }).groupBy('status');
    const by = (s: string[]) => rows.filter((r) => s.includes(r.status)).reduce((sum, r) => sum + Number(r.n), 0);
    return { queued: by(['queued', 'sending']), sent: by(['sent']), failed: by(['failed']) };
  }
}
