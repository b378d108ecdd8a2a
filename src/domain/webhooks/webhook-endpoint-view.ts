import type { WebhookEventType } from './webhook-events.js';

export type EndpointStatus = 'active' | 'disabled';

/** An endpoint as admins see it: never its secret. */
export interface WebhookEndpoint {
  readonly id: string;
  readonly url: string;
  readonly description: string | null;
  readonly events: readonly WebhookEventType[];
  readonly status: EndpointStatus;
  readonly disabledReason: string | null;
  readonly disabledAt: Date | null;
  /** Until then a rotated-out secret still signs deliveries beside the current one. */
  readonly previousSecretUntil: Date | null;
  readonly consecutiveFailures: number;
  readonly createdAt: Date;
}

export type DeliveryStatus = 'queued' | 'sending' | 'delivered' | 'failed';

/** One delivery in an endpoint's log. `body` is exactly what was (or will be) sent and signed. */
export interface WebhookDelivery {
  readonly id: string;
  readonly endpointId: string;
  readonly messageId: string;
  readonly eventType: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly test: boolean;
  readonly lastStatusCode: number | null;
  readonly lastDurationMs: number | null;
  readonly lastError: string | null;
  readonly lastAttemptAt: Date | null;
  readonly nextAttemptAt: Date | null;
  readonly createdAt: Date;
  readonly body: string;
}
