import { ContainerModule } from 'inversify';
import type { HostV1, PluginOptions } from '../contract/index.js';
import { TYPES, type LifecycleContribution } from './types.js';
import type { UnitOfWork } from '../domain/ports/unit-of-work.port.js';
import type { EnrolmentListener, OutboxPort } from '../domain/ports/repositories.port.js';
import { KnexOutbox } from '../adapters/mail/outbox.store.js';
import { OutboxWorker } from '../adapters/mail/outbox.worker.js';
import { mailOptions } from '../adapters/mail/mail-options.js';
import { NotificationScheduler } from '../adapters/mail/notification.scheduler.js';
import { NotificationsService } from '../application/notifications/notifications.service.js';
import { MailAdminService } from '../application/mail/mail-admin.service.js';
import type { DigestStore, MailQueueAdmin, NotificationSettingsRepository } from '../domain/ports/notifications.port.js';
import { KnexNotificationSettingsRepository } from '../adapters/persistence/notification-settings.repository.js';
import { KnexDigestStore } from '../adapters/persistence/digest.repository.js';
import { KnexFormDrafts } from '../adapters/persistence/form-draft.repository.js';
import { NotificationsPanel } from '../adapters/http/panels/notifications.panel.js';
import { MailPanel } from '../adapters/http/panels/mail.panel.js';
import { MailAdminRoutes } from '../adapters/http/panels/mail-admin.routes.js';
import { type PanelProvider } from '../adapters/http/panels/manifest-panels.js';

/**
 * Mail delivery and admin notifications: their storage, use cases (the notifications service is also
 * an EnrolmentListener), panels, routes and the digest scheduler.
 */
export const mailModule = new ContainerModule(({ bind }) => {
  bind(TYPES.NotificationSettingsRepository).to(KnexNotificationSettingsRepository).inSingletonScope();
  bind(TYPES.DigestStore).to(KnexDigestStore).inSingletonScope();
  bind(TYPES.FormDrafts).to(KnexFormDrafts).inSingletonScope();
  bind(TYPES.NotificationsService)
    .toResolvedValue(
      (
        uow: UnitOfWork, settings: NotificationSettingsRepository, digests: DigestStore, outbox: OutboxPort, host: HostV1, options: PluginOptions,
      ) =>
        new NotificationsService(
          { uow, settings, digests, outbox, catalogue: host.catalogue, portal: host.portal, clock: host.clock, logger: host.logger },
          { digestHour: mailOptions(options).digestHour },
        ),
      [TYPES.UnitOfWork, TYPES.NotificationSettingsRepository, TYPES.DigestStore, TYPES.Outbox, TYPES.Host, TYPES.Options],
    )
    .inSingletonScope();
  bind<EnrolmentListener>(TYPES.EnrolmentListener).toService(TYPES.NotificationsService);
  bind(TYPES.MailAdminService)
    .toResolvedValue((queue: MailQueueAdmin) => new MailAdminService(queue), [TYPES.Outbox])
    .inSingletonScope();
  bind(TYPES.NotificationScheduler)
    .toResolvedValue(
      (notifications: NotificationsService, worker: OutboxWorker, outbox: KnexOutbox, digests: KnexDigestStore, host: HostV1, options: PluginOptions) =>
        new NotificationScheduler(notifications, worker, outbox, digests, host.clock, host.logger, mailOptions(options).digestCheckMs),
      [TYPES.NotificationsService, TYPES.OutboxWorker, TYPES.Outbox, TYPES.DigestStore, TYPES.Host, TYPES.Options],
    )
    .inSingletonScope();
  bind(NotificationsPanel).toSelf().inSingletonScope();
  bind(MailPanel).toSelf().inSingletonScope();
  bind(MailAdminRoutes).toSelf().inSingletonScope();
  bind<PanelProvider>(TYPES.PanelProvider).toService(NotificationsPanel);
  bind<PanelProvider>(TYPES.PanelProvider).toService(MailPanel);
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(MailAdminRoutes);
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(TYPES.NotificationScheduler);
});
