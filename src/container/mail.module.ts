import type { HostPorts } from '../adapters/host/host-ports.js';
import { ContainerModule } from 'inversify';
import { TYPES, type LifecycleContribution } from '../types.js';
import type { UnitOfWork } from '../domain/ports/unit-of-work.port.js';
import type { EnrolmentListener } from '../domain/ports/enrolment-listener.port.js';
import type { OutboxPort } from '../domain/ports/outbox.port.js';
import type { DigestStore } from '../domain/ports/digest-store.port.js';
import type { MailQueueAdmin } from '../domain/ports/mail-queue-admin.port.js';
import type { NotificationSettingsRepository } from '../domain/ports/notification-settings-repository.port.js';
import type { FormDraftStore } from '../domain/ports/form-drafts.port.js';
import type { PermissionsPort } from '../domain/ports/permissions.port.js';
import { PortalDetails } from '../application/notifications/portal-details.js';
import { RecordExternalEnrolment } from '../application/notifications/record-external-enrolment.listener.js';
import { NotificationSettingsQuery } from '../application/notifications/notification-settings.query.js';
import { SaveNotificationSettings } from '../application/notifications/save-notification-settings.use-case.js';
import { SendDueDigests } from '../application/notifications/send-due-digests.use-case.js';
import { MailStatusQuery } from '../application/mail/mail-status.query.js';
import { RetryMail } from '../application/mail/retry-mail.use-case.js';
import { RetryAllMail } from '../application/mail/retry-all-mail.use-case.js';
import type { ResolvedOptions } from '../manifest/options.js';
import { NotificationScheduler, type SentPurge } from '../adapters/mail/notification.scheduler.js';
import { KnexNotificationSettingsRepository } from '../adapters/persistence/notification-settings.repository.js';
import { KnexDigestStore } from '../adapters/persistence/digest.repository.js';
import { KnexFormDrafts } from '../adapters/persistence/form-draft.repository.js';
import type { RouteContribution } from '../adapters/http/shared/route-contribution.js';
import type { SettingsPanel } from '../adapters/http/shared/settings-panel.js';
import { PanelFormGate } from '../adapters/http/panels/panel-form-gate.js';
import { NotificationsForm } from '../adapters/http/panels/notifications.form.js';
import { NotificationsPanel } from '../adapters/http/panels/notifications.panel.js';
import { MailRetryForm } from '../adapters/http/panels/mail-retry.form.js';
import { MailPanel } from '../adapters/http/panels/mail.panel.js';
import type { AuditRepository } from '../domain/ports/audit-repository.port.js';
import { ManifestLinkPaths } from '../adapters/http/shared/manifest-link-paths.js';

/**
 * Mail delivery and admin notifications: their storage, the one form-draft store, their use cases
 * (recording an external enrolment is an EnrolmentListener), their panels with the forms they own,
 * and the digest scheduler. The outbox worker is woken by the outbox itself, never from here.
 */
export const mailModule = new ContainerModule(({ bind }) => {
  bind(TYPES.NotificationSettingsRepository).to(KnexNotificationSettingsRepository).inSingletonScope();
  bind(TYPES.DigestStore).to(KnexDigestStore).inSingletonScope();
  bind<FormDraftStore>(TYPES.FormDrafts).to(KnexFormDrafts).inSingletonScope();
  bind(PanelFormGate).toSelf().inSingletonScope();

  // Notifications
  bind(PortalDetails).toResolvedValue((host: HostPorts) => new PortalDetails(host.portal), [TYPES.HostPorts]).inSingletonScope();
  bind(RecordExternalEnrolment)
    .toResolvedValue(
      (settings: NotificationSettingsRepository, digests: DigestStore, outbox: OutboxPort, host: HostPorts, portal: PortalDetails, reports: ManifestLinkPaths) =>
        new RecordExternalEnrolment({ settings, digests, outbox, catalogue: host.catalogue, portal, logger: host.logger, reports }),
      [TYPES.NotificationSettingsRepository, TYPES.DigestStore, TYPES.Outbox, TYPES.HostPorts, PortalDetails, ManifestLinkPaths],
    )
    .inSingletonScope();
  bind<EnrolmentListener>(TYPES.EnrolmentListener).toService(RecordExternalEnrolment);
  bind(NotificationSettingsQuery)
    .toResolvedValue(
      (permissions: PermissionsPort, settings: NotificationSettingsRepository, host: HostPorts, portal: PortalDetails, options: ResolvedOptions) =>
        new NotificationSettingsQuery(permissions, { settings, catalogue: host.catalogue, portal }, options.digestHour),
      [TYPES.Permissions, TYPES.NotificationSettingsRepository, TYPES.HostPorts, PortalDetails, TYPES.ResolvedOptions],
    )
    .inSingletonScope();
  bind(SaveNotificationSettings)
    .toResolvedValue(
      (permissions: PermissionsPort, settings: NotificationSettingsRepository, host: HostPorts, audit: AuditRepository) =>
        new SaveNotificationSettings(permissions, { settings, catalogue: host.catalogue, audit, clock: host.clock }),
      [TYPES.Permissions, TYPES.NotificationSettingsRepository, TYPES.HostPorts, TYPES.AuditRepository],
    )
    .inSingletonScope();
  bind(SendDueDigests)
    .toResolvedValue(
      (uow: UnitOfWork, settings: NotificationSettingsRepository, digests: DigestStore, outbox: OutboxPort, host: HostPorts, portal: PortalDetails, options: ResolvedOptions, reports: ManifestLinkPaths) =>
        new SendDueDigests(
          { uow, settings, digests, outbox, catalogue: host.catalogue, portal, clock: host.clock, logger: host.logger, reports },
          { digestHour: options.digestHour },
        ),
      [TYPES.UnitOfWork, TYPES.NotificationSettingsRepository, TYPES.DigestStore, TYPES.Outbox, TYPES.HostPorts, PortalDetails, TYPES.ResolvedOptions, ManifestLinkPaths],
    )
    .inSingletonScope();
  bind(TYPES.NotificationScheduler)
    .toResolvedValue(
      (portal: PortalDetails, digestsDue: SendDueDigests, outbox: SentPurge, digests: SentPurge, host: HostPorts, options: ResolvedOptions, webhooks: SentPurge) =>
        new NotificationScheduler(portal, digestsDue, outbox, digests, host.clock, host.logger, options.digestCheckMs, webhooks),
      [PortalDetails, SendDueDigests, TYPES.Outbox, TYPES.DigestStore, TYPES.HostPorts, TYPES.ResolvedOptions, TYPES.WebhookOutbox],
    )
    .inSingletonScope();

  // Email delivery
  bind(MailStatusQuery)
    .toResolvedValue(
      (permissions: PermissionsPort, queue: MailQueueAdmin, host: HostPorts) => new MailStatusQuery(permissions, queue, host.portal),
      [TYPES.Permissions, TYPES.Outbox, TYPES.HostPorts],
    )
    .inSingletonScope();
  bind(RetryMail)
    .toResolvedValue((permissions: PermissionsPort, queue: MailQueueAdmin) => new RetryMail(permissions, queue), [TYPES.Permissions, TYPES.Outbox])
    .inSingletonScope();
  bind(RetryAllMail)
    .toResolvedValue((permissions: PermissionsPort, queue: MailQueueAdmin) => new RetryAllMail(permissions, queue), [TYPES.Permissions, TYPES.Outbox])
    .inSingletonScope();

  // Their panels, each owning its form
  bind(NotificationsForm).toSelf().inSingletonScope();
  bind(NotificationsPanel).toSelf().inSingletonScope();
  bind(MailRetryForm).toSelf().inSingletonScope();
  bind(MailPanel).toSelf().inSingletonScope();
  for (const panel of [NotificationsPanel, MailPanel]) {
    bind<SettingsPanel>(TYPES.SettingsPanel).toService(panel);
    bind<RouteContribution>(TYPES.RouteContribution).toService(panel);
  }
});
