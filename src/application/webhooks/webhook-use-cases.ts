import type { CreateWebhookEndpointUseCase, DeleteWebhookEndpointUseCase, RotateWebhookSecretUseCase, SetWebhookEndpointEnabledUseCase, UpdateWebhookEndpointUseCase } from './manage-webhook-endpoints.js';
import type { ReplayWebhookDeliveryUseCase, SendTestWebhookUseCase, WebhookEndpointsQuery } from './webhook-deliveries.js';

/** The Webhooks panel's use cases, bound together (TYPES.WebhookUseCases). */
export interface WebhookUseCases {
  readonly list: WebhookEndpointsQuery;
  readonly create: CreateWebhookEndpointUseCase;
  readonly update: UpdateWebhookEndpointUseCase;
  readonly setEnabled: SetWebhookEndpointEnabledUseCase;
  readonly remove: DeleteWebhookEndpointUseCase;
  readonly rotate: RotateWebhookSecretUseCase;
  readonly replay: ReplayWebhookDeliveryUseCase;
  readonly sendTest: SendTestWebhookUseCase;
}
