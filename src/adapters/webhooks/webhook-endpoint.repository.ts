import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { ValidEndpoint } from '../../domain/webhooks/webhook-endpoint.js';
import type { DeliveryStatus, EndpointStatus, WebhookDelivery, WebhookEndpoint } from '../../domain/webhooks/webhook-endpoint-view.js';
import { isWebhookEvent, type WebhookMessage } from '../../domain/webhooks/webhook-events.js';
import type { WebhookEndpointRepository } from '../../domain/ports/webhook-endpoints.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { TYPES } from '../../types.js';
import type { WebhookSecretBox } from '../crypto/crypto.adapters.js';
import { dateOrNull, idString, on } from '../shared/knex-helpers.js';
import { DELIVERIES, ENDPOINTS, MESSAGE_ID_SQL, type KnexWebhookOutbox } from './webhook-outbox.store.js';

const COLUMNS = ['id', 'url', 'description', 'events', 'status', 'disabled_reason', 'disabled_at', 'previous_secret_until', 'consecutive_failures', 'created_at'];

/** Endpoints and their delivery logs. A secret is written encrypted and never read back here (only the worker decrypts, to sign). */
@injectable()
export class KnexWebhookEndpointRepository implements WebhookEndpointRepository {
  constructor(
    @inject(TYPES.Database) private readonly knex: Knex,
    @inject(TYPES.WebhookSecretBox) private readonly box: WebhookSecretBox,
    @inject(TYPES.WebhookOutbox) private readonly outbox: KnexWebhookOutbox,
  ) {}

  async list(): Promise<WebhookEndpoint[]> {
    return (await this.knex(ENDPOINTS).orderBy('id').select(COLUMNS)).map(endpointOf);
  }

  async get(id: string, tx?: Tx): Promise<WebhookEndpoint | null> {
    if (!isId(id)) return null;
    const row = await on(this.knex, tx)(ENDPOINTS).where('id', id).first(COLUMNS);
    return row ? endpointOf(row) : null;
  }

  async create(e: ValidEndpoint & { secret: string; createdBy: string | null }, tx: Tx): Promise<WebhookEndpoint> {
    const [row] = await on(this.knex, tx)(ENDPOINTS)
      .insert({ url: e.url, description: e.description, events: [...e.events], secret: this.box.encrypt(e.secret), created_by: e.createdBy })
      .returning(COLUMNS);
    return endpointOf(row);
  }

  async update(id: string, e: ValidEndpoint, tx: Tx): Promise<WebhookEndpoint | null> {
    return this.change(id, { url: e.url, description: e.description, events: [...e.events] }, tx);
  }

  async setStatus(id: string, status: EndpointStatus, reason: string | null, tx: Tx): Promise<WebhookEndpoint | null> {
    const changed = await this.change(id, status === 'active'
      ? { status, disabled_reason: null, disabled_at: null, consecutive_failures: 0 }
      : { status, disabled_reason: reason, disabled_at: this.knex.fn.now() }, tx);
    // Deliveries that waited while it was off go now, each with a fresh retry window.
    if (changed && status === 'active') {
      await on(this.knex, tx)(DELIVERIES).where({ endpoint_id: id, status: 'queued' }).update({ created_at: this.knex.fn.now(), next_attempt_at: this.knex.fn.now() });
      this.outbox.queuedIn(tx);
    }
    return changed;
  }

  async delete(id: string, tx: Tx): Promise<WebhookEndpoint | null> {
    if (!isId(id)) return null;
    const db = on(this.knex, tx);
    const [row] = await db(ENDPOINTS).where('id', id).delete().returning(COLUMNS);
    if (!row) return null;
    await db(DELIVERIES).where('endpoint_id', id).delete();
    return endpointOf(row);
  }

  async rotate(id: string, secret: string, previousUntil: Date, tx: Tx): Promise<WebhookEndpoint | null> {
    return this.change(id, { previous_secret: this.knex.ref('secret'), previous_secret_until: previousUntil, secret: this.box.encrypt(secret) }, tx);
  }

  async deliveries(endpointId: string, limit: number): Promise<WebhookDelivery[]> {
    if (!isId(endpointId)) return [];
    const rows: Record<string, unknown>[] = await this.knex(DELIVERIES).where('endpoint_id', endpointId).orderBy('id', 'desc').limit(limit).select('*');
    return rows.map((r) => ({
      id: idString(r.id),
      endpointId: idString(r.endpoint_id),
      messageId: String(r.message_id),
      eventType: String(r.event_type),
      // A claimed delivery stays queued under a live lease: it is being sent.
      status: (r.status === 'queued' && r.locked_until && new Date(r.locked_until as string).getTime() > Date.now() ? 'sending' : r.status) as DeliveryStatus,
      attempts: Number(r.attempts),
      test: !!r.test,
      lastStatusCode: r.last_status_code == null ? null : Number(r.last_status_code),
      lastDurationMs: r.last_duration_ms == null ? null : Number(r.last_duration_ms),
      lastError: (r.last_error as string | null) ?? null,
      lastAttemptAt: dateOrNull(r.last_attempt_at),
      nextAttemptAt: r.status === 'queued' ? dateOrNull(r.next_attempt_at) : null,
      createdAt: new Date(r.created_at as string),
      body: String(r.payload),
    }));
  }

  async replay(endpointId: string, deliveryId: string): Promise<boolean> {
    if (!isId(endpointId) || !isId(deliveryId)) return false;
    const rows = await this.knex(DELIVERIES)
      .where({ id: deliveryId, endpoint_id: endpointId })
      .whereIn('status', ['delivered', 'failed'])
      // The body of a delivery about an erased person no longer names anyone: there is nothing to send again.
      .whereRaw("(payload::jsonb ->> 'erased') is null")
      // A replay gets a fresh retry window from now.
      .update({ status: 'queued', attempts: 0, next_attempt_at: this.knex.fn.now(), locked_until: null, failed_at: null, created_at: this.knex.fn.now() })
      .returning('id');
    if (rows.length > 0) this.outbox.raiseDue();
    return rows.length > 0;
  }

  async queueTest(endpointId: string, message: WebhookMessage): Promise<void> {
    await this.knex.raw(
      `insert into ${DELIVERIES} (endpoint_id, message_id, event_type, payload, test) values (?, ${MESSAGE_ID_SQL}, ?, ?, true)`,
      [endpointId, message.type, JSON.stringify(message)],
    );
    this.outbox.raiseDue();
  }

  private async change(id: string, patch: Record<string, unknown>, tx: Tx): Promise<WebhookEndpoint | null> {
    if (!isId(id)) return null;
    const [row] = await on(this.knex, tx)(ENDPOINTS).where('id', id).update({ ...patch, updated_at: this.knex.fn.now() }).returning(COLUMNS);
    return row ? endpointOf(row) : null;
  }
}

const isId = (id: string): boolean => /^\d{1,18}$/.test(id);

function endpointOf(r: Record<string, unknown>): WebhookEndpoint {
  const events = (Array.isArray(r.events) ? r.events : parseArray(String(r.events ?? ''))).filter(isWebhookEvent);
  return {
    id: idString(r.id),
    url: String(r.url),
    description: (r.description as string | null) ?? null,
    events,
    status: r.status as EndpointStatus,
    disabledReason: (r.disabled_reason as string | null) ?? null,
    disabledAt: dateOrNull(r.disabled_at),
    previousSecretUntil: dateOrNull(r.previous_secret_until),
    consecutiveFailures: Number(r.consecutive_failures ?? 0),
    createdAt: new Date(r.created_at as string),
  };
}

/** A text[] a driver handed back as its literal ({a,b}). */
const parseArray = (literal: string): string[] => literal.replace(/^\{|\}$/g, '').split(',').map((s) => s.replace(/^"|"$/g, '')).filter(Boolean);
