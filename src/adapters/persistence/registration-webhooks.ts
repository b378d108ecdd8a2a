import type { RegistrationRecord } from '../../domain/registration/registration-record.js';
import { registrationMessage, type WebhookEventType } from '../../domain/webhooks/webhook-events.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';

/** What registration stores need of the webhook outbox (KnexWebhookOutbox, bound as TYPES.WebhookOutbox). */
export interface WebhookRows {
  deliveryCte(type: WebhookEventType, payload: string, userIdSql: string, userIdBindings?: unknown[], from?: string, where?: string): { sql: string; bindings: unknown[] };
  queuedIn(tx?: Tx): void;
}

/** Stands for the person's id until the host's statement has made it (see KnexWebhookOutbox.deliveryCte). */
const PROVISIONAL_ID = '@@selfreg_user_id@@';

/**
 * The `registration.created` body of a registration being written. With `provisional`, the person's
 * id in it is a placeholder the statement fills in with the host's new id.
 */
export function createdPayload(record: RegistrationRecord, itemTitle: string | null | undefined, provisional = false): string {
  const facts = { record: provisional ? { ...record, userId: PROVISIONAL_ID } : record, itemTitle: itemTitle ?? null };
  return JSON.stringify(registrationMessage('registration.created', facts, record.at));
}

/** How many deliveries a statement's `select count(*) from wh` reported. */
export const queuedCount = (rows: readonly Record<string, unknown>[], column = 'webhooks'): number => Number(rows[0]?.[column] ?? 0);
