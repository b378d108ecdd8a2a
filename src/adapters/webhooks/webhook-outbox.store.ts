import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import { UTM_KEYS, type Attribution } from '../../domain/reports/attribution.js';
import type { KnowledgeRef, KnowledgeType } from '../../domain/shared/knowledge.js';
import type { UserType } from '../../domain/shared/user.js';
import type { WebhookEventType, WebhookMessage } from '../../domain/webhooks/webhook-events.js';
import type { RecordedRegistration, WebhookEvents } from '../../domain/ports/webhook-events.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { TYPES } from '../../types.js';
import { claimDueSql } from '../shared/claim-due.js';
import { DueSignal } from '../shared/due-signal.js';
import { dateOrNull, idString, on, preparedStatement } from '../shared/knex-helpers.js';

export const DELIVERIES = 'selfreg_webhook_deliveries';
export const ENDPOINTS = 'selfreg_webhook_endpoints';
/** A webhook-id made in SQL: `msg_` and 32 hex digits. */
export const MESSAGE_ID_SQL = "'msg_' || replace(gen_random_uuid()::text, '-', '')";
/** Stands for the person's id in a payload written before the host has given it (one-statement registrations). */
export const USER_ID_PLACEHOLDER = '"@@selfreg_user_id@@"';

/** A data-modifying CTE that queues one delivery per subscribed active endpoint; `returning 1` counts them. */
export interface DeliveryCte {
  readonly sql: string;
  readonly bindings: unknown[];
}

/**
 * The webhook outbox: deliveries are rows written with the change that raises their event (one row
 * per subscribed endpoint, chosen in the same statement, so no endpoint is missed or read twice),
 * and sent once that change committed. A disabled endpoint's deliveries are written too and wait
 * (they are not claimed) until it is enabled again: nothing is lost while an endpoint is off.
 * Whatever it queues raises "due" after the commit.
 */
@injectable()
export class KnexWebhookOutbox implements WebhookEvents {
  private readonly due = new DueSignal();

  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  onDue(listener: () => void): () => void {
    return this.due.on(listener);
  }

  /** For a store that wrote deliveries in a statement of its own (deliveryCte): due once `tx` commits. */
  queuedIn(tx?: Tx): void {
    this.due.afterCommit(tx);
  }

  /** Wakes this instance's worker now (replays, tests, re-enabled endpoints). */
  raiseDue(): void {
    this.due.raise();
  }

  /**
   * The CTE of one event's deliveries for a registration statement: `payload` is the body, in which
   * USER_ID_PLACEHOLDER is replaced by `userIdSql` (an SQL expression, e.g. the host's new id);
   * `from` joins what that expression reads and `where` what must hold (e.g. the user was created).
   */
  deliveryCte(type: WebhookEventType, payload: string, userIdSql: string, userIdBindings: unknown[] = [], from = '', where = ''): DeliveryCte {
    const body = payload.includes(USER_ID_PLACEHOLDER) ? `replace(?::text, '${USER_ID_PLACEHOLDER}', to_json((${userIdSql})::text)::text)` : '?::text';
    return {
      sql: `insert into ${DELIVERIES} (endpoint_id, message_id, event_type, user_id, payload)
        select e.id, ${MESSAGE_ID_SQL}, ?, (${userIdSql})::text, ${body}
        from ${ENDPOINTS} e${from ? `, ${from}` : ''} where e.events @> array[?]::text[]${where ? ` and ${where}` : ''} returning 1`,
      bindings: [type, ...userIdBindings, ...(payload.includes(USER_ID_PLACEHOLDER) ? [payload, ...userIdBindings] : [payload]), type],
    };
  }

  async raise(message: WebhookMessage<WebhookEventType>, opts: { userId?: string | null; eventKey?: string | null }, tx?: Tx): Promise<number> {
    const result = await on(this.knex, tx).raw(
      `insert into ${DELIVERIES} (endpoint_id, message_id, event_type, event_key, user_id, payload)
       select e.id, ${MESSAGE_ID_SQL}, ?, ?, ?, ? from ${ENDPOINTS} e where e.events @> array[?]::text[]
       on conflict (endpoint_id, event_key) where event_key is not null do nothing returning 1`,
      [message.type, opts.eventKey ?? null, opts.userId ?? null, JSON.stringify(message), message.type],
    );
    const n = (result as { rows: unknown[] }).rows.length;
    if (n > 0) this.due.afterCommit(tx);
    return n;
  }

  async subscribed(type: WebhookEventType, tx?: Tx): Promise<boolean> {
    const db = on(this.knex, tx);
    const row = await db(ENDPOINTS).whereRaw('events @> array[?]::text[]', [type]).first('id');
    return !!row;
  }

  async registrations(userId: string, item: KnowledgeRef | null, tx?: Tx): Promise<RecordedRegistration[]> {
    const q = on(this.knex, tx)('selfreg_registrations').where('user_id', userId).orderBy('id');
    if (item) q.andWhere({ item_type: item.type, item_id: item.id });
    const rows: Record<string, unknown>[] = await q.select('*');
    return rows.map((r) => {
      const attribution: Record<string, string> = {};
      for (const k of UTM_KEYS) if (typeof r[k] === 'string') attribution[k] = r[k] as string;
      const completedAt = dateOrNull(r.completed_at);
      return {
        id: idString(r.id),
        record: {
          tokenId: idString(r.token_id),
          tokenNickname: (r.token_nickname as string | null) ?? null,
          item: { type: r.item_type as KnowledgeType, id: String(r.item_id) },
          userId: String(r.user_id),
          newUser: !!r.new_user,
          at: new Date(r.created_at as string),
          attribution: Object.keys(attribution).length > 0 ? (attribution as Attribution) : null,
          registrant: {
            email: String(r.user_email ?? ''), firstName: String(r.user_first_name ?? ''), lastName: String(r.user_last_name ?? ''), type: (r.user_type ?? 'prospect') as UserType,
          },
        },
        activatedAt: dateOrNull(r.activated_at),
        completion: completedAt ? { at: completedAt, outcome: (r.outcome as string | null) ?? null, score: r.score == null ? null : Number(r.score) } : null,
      };
    });
  }

  /**
   * Due deliveries of active endpoints (and test sends), claimed for `leaseMs`, with where to send
   * them and the ciphertexts of the secrets that sign — read in the same statement (one round trip
   * a batch). A claimed delivery stays `queued` with a live lease (`locked_until`): the claim is an
   * in-place update.
   */
  async claimBatch(limit: number, leaseMs: number): Promise<ClaimedBatch> {
    type Row = {
      kind: 'd' | 'e'; id: unknown; endpoint_id: unknown; message_id: string | null; payload: string | null; attempts: number | null; created_ms: number | string | null; test: boolean | null;
      url: string | null; secret: string | null; previous_secret: string | null; previous_until_ms: number | string | null; failures: number | null;
    };
    const claim = claimDueSql(DELIVERIES, {
      leaseOnly: true,
      // When it was written, as milliseconds: a number needs no date parsing (once per delivery).
      returning: ['id', 'endpoint_id', 'message_id', 'payload', 'attempts', '(extract(epoch from created_at) * 1000)::float8 as created_ms', 'test'],
      scope: `test or endpoint_id in (select id from ${ENDPOINTS} where status = 'active')`,
    });
    // The batch's endpoints come as rows of their own after its deliveries (`kind` e): each once.
    const { rows } = await preparedStatement(this.knex, `with claimed as (${claim})
      select 'd' as kind, id, endpoint_id, message_id, payload, attempts, created_ms, test,
        null::text as url, null::text as secret, null::text as previous_secret, null::float8 as previous_until_ms, null::int as failures from claimed
      union all
      select 'e', id, null, null, null, null, null, null, url, secret, previous_secret, (extract(epoch from previous_secret_until) * 1000)::float8, consecutive_failures
      from ${ENDPOINTS} where id in (select endpoint_id from claimed)`, [leaseMs, limit]) as { rows: Row[] };
    const targets = new Map<string, EndpointTarget>();
    const deliveries: ClaimedDelivery[] = [];
    for (const r of rows) {
      if (r.kind === 'e') {
        targets.set(idString(r.id), {
          url: r.url!, secret: r.secret!, previousSecret: r.previous_secret,
          previousUntil: r.previous_until_ms === null ? null : new Date(Number(r.previous_until_ms)), failing: Number(r.failures) > 0,
        });
      } else {
        deliveries.push({ id: idString(r.id), endpointId: idString(r.endpoint_id), messageId: r.message_id!, body: r.payload!, attempts: r.attempts!, createdAt: new Date(Number(r.created_ms)), test: !!r.test });
      }
    }
    return { deliveries: deliveries.sort((x, y) => Number(x.id) - Number(y.id)), targets };
  }

  /** Tries that ended, written in one (prepared) statement per batch; `attempts` fences each to its own try. */
  async recordTries(tries: readonly TryResult[]): Promise<void> {
    if (tries.length === 0) return;
    const rows = tries.map((t) => (t.error === null || t.error.length <= 500 ? t : { ...t, error: t.error.slice(0, 500) }));
    await preparedStatement(this.knex,
      `update ${DELIVERIES} d set
         status = v.status, locked_until = null, last_status_code = v.code, last_duration_ms = v.ms, last_error = v.error, last_attempt_at = now(),
         next_attempt_at = case when v.status = 'queued' then now() + (v.delay * interval '1 millisecond') else d.next_attempt_at end,
         delivered_at = case when v.status = 'delivered' then now() else d.delivered_at end,
         failed_at = case when v.status = 'failed' then now() else d.failed_at end
       from json_to_recordset(?::json) as v(id bigint, attempts int, status text, code int, ms int, error text, delay bigint)
       where d.id = v.id and d.status = 'queued' and d.locked_until is not null and d.attempts = v.attempts`,
      [JSON.stringify(rows)],
    );
  }

  /** Failed tries in a row per endpoint: a success (of an endpoint whose count is not 0) starts the count over. */
  async countFailures(failedByEndpoint: ReadonlyMap<string, number>, succeeded: readonly string[]): Promise<void> {
    if (succeeded.length > 0) await this.knex(ENDPOINTS).whereIn('id', [...new Set(succeeded)]).andWhere('consecutive_failures', '>', 0).update({ consecutive_failures: 0 });
    for (const [id, n] of failedByEndpoint) await this.knex(ENDPOINTS).where('id', id).increment('consecutive_failures', n);
  }

  /** Delivered deliveries are kept for a while (the log), then removed. */
  async purgeSent(before: Date, limit = 5000): Promise<number> {
    const old = this.knex(DELIVERIES).where('status', 'delivered').andWhere('delivered_at', '<', before).orderBy('delivered_at').limit(limit).select('id');
    const rows = await this.knex(DELIVERIES).whereIn('id', old).delete().returning('id');
    return rows.length;
  }
}

export interface ClaimedDelivery {
  readonly id: string;
  readonly endpointId: string;
  readonly messageId: string;
  readonly body: string;
  /** Tries so far, this one included (the claim counts it). */
  readonly attempts: number;
  readonly createdAt: Date;
  readonly test: boolean;
}

export interface ClaimedBatch {
  readonly deliveries: ClaimedDelivery[];
  /** Where the batch's deliveries go, by endpoint id (an endpoint deleted meanwhile is missing). */
  readonly targets: Map<string, EndpointTarget>;
}

export interface EndpointTarget {
  readonly url: string;
  readonly secret: string;
  readonly previousSecret: string | null;
  readonly previousUntil: Date | null;
  /** Its last tries failed: a success must start the count over. */
  readonly failing: boolean;
}

export interface TryResult {
  readonly id: string;
  readonly attempts: number;
  readonly status: 'delivered' | 'queued' | 'failed';
  readonly code: number | null;
  readonly ms: number;
  readonly error: string | null;
  readonly delay: number;
}
