import { Container, ContainerModule } from 'inversify';
import type { Knex } from 'knex';
import type { HostV1, PluginOptions } from './contract.js';
import type { Manifest } from './manifest.js';
import { TYPES, type LifecycleContribution } from './types.js';
import type { CataloguePort } from './domain/ports/host.ports.js';
import type { ClockPort } from './domain/ports/clock.port.js';
import type { RandomSource } from './domain/ports/random.port.js';
import type { UnitOfWork } from './domain/ports/unit-of-work.port.js';
import type {
  EmailLinkRepository, EnrolmentListener, OutboxPort, RegistrationRepository, SecretHasher, SettingsRepository, TokenRepository,
} from './domain/ports/repositories.port.js';
import { TokensService } from './application/tokens.service.js';
import { PortalSwitchService } from './application/portal-switch.service.js';
import { ApiKeysService } from './application/api-keys.service.js';
import type { ApiKeyRepository, AuditRepository, TokenAdminRepository, TokenRegistrationQuery } from './domain/ports/token-admin.port.js';
import type { PortalPort, UsersPort } from './domain/ports/host.ports.js';
import { KnexAuditRepository } from './adapters/persistence/audit.repository.js';
import { KnexApiKeyRepository } from './adapters/persistence/api-key.repository.js';
import { KnexTokenRegistrationQuery } from './adapters/persistence/token-registrations.query.js';
import { ApiRoutes } from './adapters/http/api.routes.js';
import { RegistrationService } from './application/registration.service.js';
import { BrandingService } from './application/branding.service.js';
import { ChangeSignal, invalidatingOnWrite, PUBLIC_CACHE_MS } from './application/read-cache.js';
import { SeatAlertService, type SeatAlerts } from './application/seat-alerts.service.js';
import type { RateLimitPort } from './domain/ports/rate-limit.port.js';
import type { SeatAlertRepository } from './domain/ports/seat-alert.port.js';
import { KnexRateLimiter } from './adapters/rate-limit/knex-rate-limiter.js';
import { KnexSeatAlertRepository } from './adapters/persistence/seat-alert.repository.js';
import { BrandingPanel } from './adapters/http/branding.panel.js';
import { CodeProtector, CsrfTokens, randomSource, sha256Hasher } from './adapters/crypto/crypto.adapters.js';
import { KnexUnitOfWork } from './adapters/persistence/knex-unit-of-work.js';
import { KnexTokenRepository } from './adapters/persistence/token.repository.js';
import { KnexRegistrationRepository } from './adapters/persistence/registration.repository.js';
import { KnexEmailLinkRepository } from './adapters/persistence/email-link.repository.js';
import { KnexSettingsRepository } from './adapters/persistence/settings.repository.js';
import { KnexOutbox } from './adapters/mail/outbox.store.js';
import { MailRenderer } from './adapters/mail/mail-renderer.js';
import { devMailboxSender, smtpSender } from './adapters/mail/mail-sender.js';
import { OutboxWorker } from './adapters/mail/outbox.worker.js';
import { mailOptions } from './adapters/mail/mail-options.js';
import { NotificationScheduler } from './adapters/mail/notification.scheduler.js';
import { NotificationsService } from './application/notifications.service.js';
import { MailAdminService } from './application/mail-admin.service.js';
import type { DigestStore, MailQueueAdmin, NotificationSettingsRepository } from './domain/ports/notifications.port.js';
import { KnexNotificationSettingsRepository } from './adapters/persistence/notification-settings.repository.js';
import { KnexDigestStore } from './adapters/persistence/digest.repository.js';
import { KnexFormDrafts } from './adapters/persistence/form-draft.repository.js';
import { NotificationsPanel } from './adapters/http/notifications.panel.js';
import { MailPanel } from './adapters/http/mail.panel.js';
import { MailAdminRoutes } from './adapters/http/mail-admin.routes.js';
import { Views } from './adapters/views.js';
import { PublicRoutes } from './adapters/http/public.routes.js';
import { AdminRoutes } from './adapters/http/admin.routes.js';
import { SettingsPanels } from './adapters/http/panels.js';
import { ManifestPanels, type PanelProvider } from './adapters/http/manifest-panels.js';
import { HostEventHooks } from './hooks/host-events.hooks.js';

/** Binds every port of the host object, as given. */
export const hostModule = (host: HostV1, options: PluginOptions, manifest: Manifest) =>
  new ContainerModule(({ bind }) => {
    bind(TYPES.Host).toConstantValue(host);
    bind<Knex>(TYPES.Database).toConstantValue(host.database);
    bind(TYPES.Users).toConstantValue(host.users);
    bind(TYPES.Enrolments).toConstantValue(host.enrolments);
    bind(TYPES.Catalogue).toConstantValue(host.catalogue);
    bind(TYPES.Portal).toConstantValue(host.portal);
    bind(TYPES.Access).toConstantValue(host.access);
    bind(TYPES.Credentials).toConstantValue(host.credentials);
    bind(TYPES.Seats).toConstantValue(host.seats);
    bind(TYPES.Events).toConstantValue(host.events);
    bind(TYPES.Panels).toConstantValue(host.panels);
    bind(TYPES.Http).toConstantValue(host.http);
    bind(TYPES.Logger).toConstantValue(host.logger);
    bind(TYPES.Clock).toConstantValue(host.clock);
    bind(TYPES.DevMailbox).toConstantValue(host.devMailbox ?? null);
    bind(TYPES.Options).toConstantValue(options);
    bind(TYPES.Manifest).toConstantValue(manifest);
  });

/** The plugin's own storage, crypto and mail adapters. */
export const infrastructureModule = new ContainerModule(({ bind }) => {
  bind(TYPES.Random).toConstantValue(randomSource);
  bind(TYPES.SecretHasher).toConstantValue(sha256Hasher);
  bind(TYPES.CodeProtector).to(CodeProtector).inSingletonScope();
  bind(TYPES.Csrf).to(CsrfTokens).inSingletonScope();
  bind(TYPES.UnitOfWork).to(KnexUnitOfWork).inSingletonScope();
  bind(TYPES.TokenRepository).to(KnexTokenRepository).inSingletonScope();
  bind(TYPES.RegistrationRepository).to(KnexRegistrationRepository).inSingletonScope();
  bind(TYPES.EmailLinkRepository).to(KnexEmailLinkRepository).inSingletonScope();
  bind(TYPES.SettingsRepository).to(KnexSettingsRepository).inSingletonScope();
  bind(TYPES.TokenAdminRepository).toService(TYPES.TokenRepository);
  bind(TYPES.AuditRepository).to(KnexAuditRepository).inSingletonScope();
  bind(TYPES.ApiKeyRepository).to(KnexApiKeyRepository).inSingletonScope();
  bind(TYPES.TokenRegistrationQuery).to(KnexTokenRegistrationQuery).inSingletonScope();
  bind(TYPES.Outbox).to(KnexOutbox).inSingletonScope();
  bind(TYPES.Views).toConstantValue(new Views());
  bind(TYPES.OutboxWorker)
    .toResolvedValue(
      (outbox: KnexOutbox, options: PluginOptions, host: HostV1, settings: SettingsRepository) => {
        const mail = mailOptions(options);
        return new OutboxWorker(
          outbox,
          new MailRenderer(),
          // A factory: stop() closes the SMTP pool, and a later start() needs a fresh one.
          () => (options.smtpUrl ? smtpSender(options.smtpUrl, { maxConnections: mail.smtpMaxConnections }) : devMailboxSender(host.devMailbox, host.logger)),
          host.portal,
          host.logger,
          { from: mail.from, pollMs: mail.pollMs, maxAttempts: mail.maxAttempts, baseDelayMs: mail.retryBaseMs, maxOutageDelayMs: mail.outageRetryMaxMs },
          settings,
        );
      },
      [TYPES.Outbox, TYPES.Options, TYPES.Host, TYPES.SettingsRepository],
    )
    .inSingletonScope();
});

/** Application services: plain classes, constructed here so they stay free of framework decorators. */
export const applicationModule = new ContainerModule(({ bind }) => {
  bind(TYPES.TokensService)
    .toResolvedValue(
      (
        uow: UnitOfWork, tokens: TokenAdminRepository, audit: AuditRepository, registrations: TokenRegistrationQuery,
        catalogue: CataloguePort, portal: PortalPort, users: UsersPort, random: RandomSource, clock: ClockPort,
      ) => new TokensService({ uow, tokens, audit, registrations, catalogue, portal, users, random, clock }),
      [
        TYPES.UnitOfWork, TYPES.TokenAdminRepository, TYPES.AuditRepository, TYPES.TokenRegistrationQuery,
        TYPES.Catalogue, TYPES.Portal, TYPES.Users, TYPES.Random, TYPES.Clock,
      ],
    )
    .inSingletonScope();
  bind(TYPES.PortalSwitchService)
    .toResolvedValue(
      (settings: SettingsRepository, audit: AuditRepository, clock: ClockPort) => new PortalSwitchService(settings, audit, clock),
      [TYPES.SettingsRepository, TYPES.AuditRepository, TYPES.Clock],
    )
    .inSingletonScope();
  bind(TYPES.ApiKeysService)
    .toResolvedValue(
      (keys: ApiKeyRepository, users: UsersPort, hasher: SecretHasher, random: RandomSource, clock: ClockPort) =>
        new ApiKeysService({ keys, users, hasher, random, clock }),
      [TYPES.ApiKeyRepository, TYPES.Users, TYPES.SecretHasher, TYPES.Random, TYPES.Clock],
    )
    .inSingletonScope();
  bind(TYPES.RegistrationService)
    .toResolvedValue(
      (
        uow: UnitOfWork, tokens: TokenRepository, registrations: RegistrationRepository, links: EmailLinkRepository,
        outbox: OutboxPort, settings: SettingsRepository, host: HostV1, random: RandomSource, hasher: SecretHasher,
        enrolmentListeners: EnrolmentListener[] | undefined,
        limits: RateLimitPort, seatAlerts: SeatAlerts, signal: ChangeSignal,
      ) =>
        new RegistrationService({
          uow, tokens, registrations, links, outbox, settings, random, hasher, enrolmentListeners: enrolmentListeners ?? [],
          users: host.users, enrolments: host.enrolments, catalogue: host.catalogue, portal: host.portal,
          seats: host.seats, passwords: host.credentials, clock: host.clock, logger: host.logger,
          limits, seatAlerts, signal, cacheMs: PUBLIC_CACHE_MS,
          millis: () => performance.now(), pause: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
        }),
      [
        TYPES.UnitOfWork, TYPES.TokenRepository, TYPES.RegistrationRepository, TYPES.EmailLinkRepository, TYPES.Outbox,
        TYPES.SettingsRepository, TYPES.Host, TYPES.Random, TYPES.SecretHasher,
        { serviceIdentifier: TYPES.EnrolmentListener, isMultiple: true, optional: true },
        TYPES.RateLimiter, TYPES.SeatAlerts, TYPES.ChangeSignal,
      ],
    )
    .inSingletonScope();
});

/** What start() starts, in order: hooks first, then panels and routes; stop() runs the reverse. */
export const contributionsModule = new ContainerModule(({ bind }) => {
  bind(HostEventHooks).toSelf().inSingletonScope();
  bind(SettingsPanels).toSelf().inSingletonScope();
  bind(AdminRoutes).toSelf().inSingletonScope();
  bind(PublicRoutes).toSelf().inSingletonScope();
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(HostEventHooks);
  bind(ManifestPanels).toSelf().inSingletonScope();
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(ManifestPanels);
  bind<PanelProvider>(TYPES.PanelProvider).toService(SettingsPanels);
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(AdminRoutes);
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(PublicRoutes);
  bind(ApiRoutes).toSelf().inSingletonScope();
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(ApiRoutes);
});

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

/**
 * The registration page (issue 4): shared abuse limits, the seat-limit alert, branding and its
 * panel, and the read caches of the public pages. Writes to tokens and settings go through
 * invalidating proxies, so this instance's caches never outlive a change it made.
 */
export const registrationModule = new ContainerModule(({ bind, onActivation }) => {
  bind(TYPES.ChangeSignal).toConstantValue(new ChangeSignal());
  // A token's use counter is not shown anywhere cached, and the registration transaction re-checks it.
  onActivation<TokenRepository>(TYPES.TokenRepository, (ctx, repo) => invalidatingOnWrite(repo, ctx.get<ChangeSignal>(TYPES.ChangeSignal), { ignore: ['claimUse'] }));
  onActivation<SettingsRepository>(TYPES.SettingsRepository, (ctx, repo) =>
    invalidatingOnWrite(repo, ctx.get<ChangeSignal>(TYPES.ChangeSignal), { reads: ['portalEnabled', 'branding'] }));
  bind(TYPES.RateLimiter).to(KnexRateLimiter).inSingletonScope();
  bind(TYPES.SeatAlertRepository).to(KnexSeatAlertRepository).inSingletonScope();
  bind(TYPES.SeatAlerts)
    .toResolvedValue(
      (uow: UnitOfWork, alerts: SeatAlertRepository, outbox: OutboxPort, host: HostV1) =>
        new SeatAlertService({ uow, alerts, outbox, users: host.users, portal: host.portal, clock: host.clock, logger: host.logger }),
      [TYPES.UnitOfWork, TYPES.SeatAlertRepository, TYPES.Outbox, TYPES.Host],
    )
    .inSingletonScope();
  bind(TYPES.BrandingService)
    .toResolvedValue(
      (settings: SettingsRepository, host: HostV1, signal: ChangeSignal) => new BrandingService({ settings, portal: host.portal, signal, cacheMs: PUBLIC_CACHE_MS }),
      [TYPES.SettingsRepository, TYPES.Host, TYPES.ChangeSignal],
    )
    .inSingletonScope();
  bind(BrandingPanel).toSelf().inSingletonScope();
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(TYPES.RateLimiter);
  bind<PanelProvider>(TYPES.PanelProvider).toService(BrandingPanel);
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(BrandingPanel);
});

export function buildContainer(host: HostV1, options: PluginOptions, manifest: Manifest): Container {
  const container = new Container();
  container.load(hostModule(host, options, manifest), infrastructureModule, applicationModule, contributionsModule, mailModule, registrationModule);
  return container;
}
