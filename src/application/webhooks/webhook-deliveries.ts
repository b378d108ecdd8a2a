import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import { testMessage } from '../../domain/webhooks/webhook-events.js';
import type { WebhookDelivery, WebhookEndpoint } from '../../domain/webhooks/webhook-endpoint-view.js';
import type { WebhookAdmin } from './webhook-admin.js';

export const DELIVERY_LOG_LIMIT = 20;

/** Every endpoint with its latest deliveries (the Webhooks panel), Super admins only. */
export class WebhookEndpointsQuery {
  constructor(private readonly admin: WebhookAdmin) {}

  async execute(actor: HostUser | null): Promise<Result<{ endpoint: WebhookEndpoint; deliveries: WebhookDelivery[] }[], Refusal>> {
    if (!this.admin.allowed(actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    const endpoints = await this.admin.p.endpoints.list();
    return ok(await Promise.all(endpoints.map(async (endpoint) => ({ endpoint, deliveries: await this.admin.p.endpoints.deliveries(endpoint.id, DELIVERY_LOG_LIMIT) }))));
  }
}

/** Sends a delivery again: the same body and webhook-id, due now with fresh tries (an idempotent receiver drops a duplicate). */
export class ReplayWebhookDeliveryUseCase {
  constructor(private readonly admin: WebhookAdmin) {}

  async execute(actor: HostUser | null, endpointId: string, deliveryId: string): Promise<Result<true, Refusal>> {
    if (!this.admin.allowed(actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    return (await this.admin.p.endpoints.replay(endpointId, deliveryId)) ? ok(true) : err(refuse(ErrorCodes.WEBHOOK_DELIVERY_NOT_FOUND));
  }
}

/** Queues a `webhook.test` delivery to one endpoint, enabled or not (tried once; its log shows the answer). */
export class SendTestWebhookUseCase {
  constructor(private readonly admin: WebhookAdmin) {}

  async execute(actor: HostUser | null, endpointId: string): Promise<Result<true, Refusal>> {
    if (!this.admin.allowed(actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    const endpoint = await this.admin.p.endpoints.get(endpointId);
    if (!endpoint) return err(refuse(ErrorCodes.WEBHOOK_NOT_FOUND));
    await this.admin.p.endpoints.queueTest(endpoint.id, testMessage(endpoint.id, this.admin.p.clock.now()));
    return ok(true);
  }
}
