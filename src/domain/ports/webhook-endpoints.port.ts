import type { ValidEndpoint } from '../webhooks/webhook-endpoint.js';
import type { WebhookDelivery, WebhookEndpoint } from '../webhooks/webhook-endpoint-view.js';
import type { WebhookMessage } from '../webhooks/webhook-events.js';
import type { Tx } from './unit-of-work.port.js';

/** The endpoints Super admins manage, and their delivery logs. Secrets go in here and never come back out. */
export interface WebhookEndpointRepository {
  list(): Promise<WebhookEndpoint[]>;
  get(id: string, tx?: Tx): Promise<WebhookEndpoint | null>;
  create(endpoint: ValidEndpoint & { readonly secret: string; readonly createdBy: string | null }, tx: Tx): Promise<WebhookEndpoint>;
  update(id: string, endpoint: ValidEndpoint, tx: Tx): Promise<WebhookEndpoint | null>;
  /** Disabled: nothing is sent (deliveries wait); enabled again: they go, and the failure count starts over. */
  setStatus(id: string, status: 'active' | 'disabled', reason: string | null, tx: Tx): Promise<WebhookEndpoint | null>;
  /** The endpoint and its deliveries. */
  delete(id: string, tx: Tx): Promise<WebhookEndpoint | null>;
  /** The new secret signs from now on; the current one also signs until `previousUntil`. */
  rotate(id: string, secret: string, previousUntil: Date, tx: Tx): Promise<WebhookEndpoint | null>;
  /** Newest first, `limit` at most. */
  deliveries(endpointId: string, limit: number): Promise<WebhookDelivery[]>;
  /** The same body and webhook-id again, due now with a fresh count of tries. */
  replay(endpointId: string, deliveryId: string): Promise<boolean>;
  /** A test delivery to this endpoint, due now (tried once). */
  queueTest(endpointId: string, message: WebhookMessage): Promise<void>;
}
