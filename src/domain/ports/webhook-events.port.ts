import type { KnowledgeRef } from '../shared/knowledge.js';
import type { RegistrationFacts, WebhookEventType, WebhookMessage } from '../webhooks/webhook-events.js';
import type { Tx } from './unit-of-work.port.js';

/** Registrations a registration or enrolment event is about, as recorded (no item title). */
export type RecordedRegistration = Omit<RegistrationFacts, 'itemTitle'> & { readonly id: string };

/**
 * Where events leave for the endpoints subscribed to them: one delivery per endpoint (a disabled
 * one's waits until it is enabled), written in `tx` and sent after it commits. With no endpoint
 * subscribed, nothing is written.
 */
export interface WebhookEvents {
  /**
   * Queues `message` for every endpoint subscribed to its type. `userId`: the person it
   * names (erasure finds their deliveries by it). `eventKey`: the same key is queued once per
   * endpoint, however often the event is raised.
   */
  raise(message: WebhookMessage<WebhookEventType>, opts: { readonly userId?: string | null; readonly eventKey?: string | null }, tx?: Tx): Promise<number>;
  /** True when an endpoint subscribes to `type` (a cheap check before gathering an event's facts). */
  subscribed(type: WebhookEventType, tx?: Tx): Promise<boolean>;
  /** The registrations of `userId` (in `item` when given) as recorded, for the events about them. */
  registrations(userId: string, item: KnowledgeRef | null, tx?: Tx): Promise<RecordedRegistration[]>;
}
