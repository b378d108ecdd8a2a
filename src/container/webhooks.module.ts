import { ContainerModule } from 'inversify';
import type { HostPorts } from '../adapters/host/host-ports.js';
import { TYPES, type WorkerContribution } from '../types.js';
import type { ResolvedOptions } from '../manifest/options.js';
import type { AuditRepository } from '../domain/ports/audit-repository.port.js';
import type { OutboxPort } from '../domain/ports/outbox.port.js';
import type { PermissionsPort } from '../domain/ports/permissions.port.js';
import type { UnitOfWork } from '../domain/ports/unit-of-work.port.js';
import type { WebhookEndpointRepository } from '../domain/ports/webhook-endpoints.port.js';
import { WebhookAdmin } from '../application/webhooks/webhook-admin.js';
import {
  CreateWebhookEndpointUseCase, DeleteWebhookEndpointUseCase, RotateWebhookSecretUseCase, SetWebhookEndpointEnabledUseCase, UpdateWebhookEndpointUseCase,
} from '../application/webhooks/manage-webhook-endpoints.js';
import { ReplayWebhookDeliveryUseCase, SendTestWebhookUseCase, WebhookEndpointsQuery } from '../application/webhooks/webhook-deliveries.js';
import { DisableFailingEndpointUseCase } from '../application/webhooks/disable-failing-endpoint.use-case.js';
import { WebhookNotices } from '../application/webhooks/webhook-notices.js';
import type { WebhookUseCases } from '../application/webhooks/webhook-use-cases.js';
import { WebhookSecretBox, webhookSecrets } from '../adapters/crypto/crypto.adapters.js';
import { KnexWebhookOutbox } from '../adapters/webhooks/webhook-outbox.store.js';
import { KnexWebhookEndpointRepository } from '../adapters/webhooks/webhook-endpoint.repository.js';
import { WebhookHttpClient } from '../adapters/webhooks/webhook-http-client.js';
import { WebhookWorker } from '../adapters/webhooks/webhook.worker.js';
import { WebhookDeliveriesHolder } from '../adapters/webhooks/webhook-deliveries.holder.js';
import type { PersonalDataHolder } from '../domain/ports/personal-data.port.js';
import type { SettingsPanel } from '../adapters/http/shared/settings-panel.js';
import type { RouteContribution } from '../adapters/http/shared/route-contribution.js';
import { WebhooksForm } from '../adapters/http/admin/webhooks.form.js';
import { WebhooksPanel } from '../adapters/http/admin/webhooks.panel.js';
import { WebhooksResource } from '../adapters/http/api/webhooks.resource.js';

/** Maximum wait between two tries of a delivery, a Retry-After included. */
const MAX_RETRY_DELAY_MS = 6 * 60 * 60 * 1000;

/**
 * Signed webhooks: the endpoints and their encrypted secrets, the webhook outbox (written with the
 * registration, see KnexRegistrationWrites), the events raised after it (WebhookNotices), the
 * Webhooks panel with its forms, and the `webhooks` worker the manifest declares.
 */
export const webhooksModule = new ContainerModule(({ bind }) => {
  bind(TYPES.WebhookSecretBox).to(WebhookSecretBox).inSingletonScope();
  bind(TYPES.WebhookOutbox).to(KnexWebhookOutbox).inSingletonScope();
  bind(TYPES.WebhookEndpoints).to(KnexWebhookEndpointRepository).inSingletonScope();
  // Erasure of a person covers their deliveries (and an endpoint they created).
  bind<PersonalDataHolder>(TYPES.PersonalDataHolder).to(WebhookDeliveriesHolder).inSingletonScope();
  bind(WebhookAdmin)
    .toResolvedValue(
      (permissions: PermissionsPort, uow: UnitOfWork, endpoints: WebhookEndpointRepository, audit: AuditRepository, host: HostPorts) =>
        new WebhookAdmin({ permissions, uow, endpoints, audit, clock: host.clock }),
      [TYPES.Permissions, TYPES.UnitOfWork, TYPES.WebhookEndpoints, TYPES.AuditRepository, TYPES.HostPorts],
    )
    .inSingletonScope();
  bind<WebhookUseCases>(TYPES.WebhookUseCases)
    .toResolvedValue((admin: WebhookAdmin, options: ResolvedOptions) => ({
      list: new WebhookEndpointsQuery(admin),
      create: new CreateWebhookEndpointUseCase(admin, webhookSecrets, options.webhookNetwork),
      update: new UpdateWebhookEndpointUseCase(admin, options.webhookNetwork),
      setEnabled: new SetWebhookEndpointEnabledUseCase(admin),
      remove: new DeleteWebhookEndpointUseCase(admin),
      rotate: new RotateWebhookSecretUseCase(admin, webhookSecrets),
      replay: new ReplayWebhookDeliveryUseCase(admin),
      sendTest: new SendTestWebhookUseCase(admin),
    }), [WebhookAdmin, TYPES.ResolvedOptions])
    .inSingletonScope();
  bind(TYPES.WebhookNotices)
    .toResolvedValue((events: KnexWebhookOutbox, host: HostPorts) => new WebhookNotices(events, host.catalogue, host.clock), [TYPES.WebhookOutbox, TYPES.HostPorts])
    .inSingletonScope();
  bind(DisableFailingEndpointUseCase)
    .toResolvedValue(
      (uow: UnitOfWork, endpoints: WebhookEndpointRepository, audit: AuditRepository, outbox: OutboxPort, host: HostPorts) =>
        new DisableFailingEndpointUseCase({ uow, endpoints, audit, outbox, users: host.users, portal: host.portal, clock: host.clock }),
      [TYPES.UnitOfWork, TYPES.WebhookEndpoints, TYPES.AuditRepository, TYPES.Outbox, TYPES.HostPorts],
    )
    .inSingletonScope();
  bind(TYPES.WebhookWorker)
    .toResolvedValue(
      (outbox: KnexWebhookOutbox, box: WebhookSecretBox, host: HostPorts, disable: DisableFailingEndpointUseCase, options: ResolvedOptions) =>
        new WebhookWorker(
          outbox,
          new WebhookHttpClient({ network: options.webhookNetwork, timeoutMs: options.webhookTimeoutMs, maxSockets: options.webhookConcurrency }),
          box,
          host.logger,
          async (endpointId, reason) => void (await disable.execute(endpointId, reason)),
          {
            pollMs: options.outboxPollMs,
            concurrency: options.webhookConcurrency,
            timeoutMs: options.webhookTimeoutMs,
            policy: { baseDelayMs: options.webhookRetryBaseMs, maxDelayMs: MAX_RETRY_DELAY_MS, windowMs: options.webhookRetryWindowMs },
          },
        ),
      [TYPES.WebhookOutbox, TYPES.WebhookSecretBox, TYPES.HostPorts, DisableFailingEndpointUseCase, TYPES.ResolvedOptions],
    )
    .inSingletonScope();
  bind<WorkerContribution>(TYPES.Worker).toResolvedValue((worker: WebhookWorker) => ({ id: 'webhooks', worker }), [TYPES.WebhookWorker]).inSingletonScope();

  bind(WebhooksForm).toSelf().inSingletonScope();
  bind(WebhooksPanel).toSelf().inSingletonScope();
  bind<SettingsPanel>(TYPES.SettingsPanel).toService(WebhooksPanel);
  bind<RouteContribution>(TYPES.RouteContribution).toService(WebhooksPanel);
  bind(WebhooksResource).toSelf().inSingletonScope();
  bind<RouteContribution>(TYPES.RouteContribution).toService(WebhooksResource);
});
