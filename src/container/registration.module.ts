import type { HostPorts } from '../adapters/host/host-ports.js';
import { ContainerModule, type Newable } from 'inversify';
import { TYPES, type LifecycleContribution } from '../types.js';
import type { RandomSource } from '../domain/ports/random.port.js';
import type { UnitOfWork } from '../domain/ports/unit-of-work.port.js';
import type { EmailLinkRepository } from '../domain/ports/email-link-repository.port.js';
import type { EnrolmentListener } from '../domain/ports/enrolment-listener.port.js';
import type { OutboxPort } from '../domain/ports/outbox.port.js';
import type { RegistrationRepository } from '../domain/ports/registration-repository.port.js';
import type { SecretHasher } from '../domain/ports/secret-hasher.port.js';
import type { SettingsRepository } from '../domain/ports/settings-repository.port.js';
import type { TokenRepository } from '../domain/ports/token-repository.port.js';
import { registrationUseCases, type RegistrationUseCases } from '../application/registration/registration-use-cases.js';
import type { WebhookNotices } from '../application/webhooks/webhook-notices.js';
import { AcceptInvitationUseCase } from '../application/registration/accept-invitation.use-case.js';
import { ConfirmSignInLinkUseCase } from '../application/registration/confirm-sign-in-link.use-case.js';
import { CountAttemptUseCase } from '../application/registration/count-attempt.use-case.js';
import { EnrolSignedInUseCase } from '../application/registration/enrol-signed-in.use-case.js';
import { InspectEmailedLinkQuery } from '../application/registration/inspect-emailed-link.query.js';
import { OpenDeepLinkQuery } from '../application/registration/open-deep-link.query.js';
import { OpenOneClickEnrolmentQuery } from '../application/registration/open-one-click-enrolment.query.js';
import { RegisterUseCase } from '../application/registration/register.use-case.js';
import { RegistrationOpenQuery } from '../application/registration/registration-open.query.js';
import { ChangeSignal, invalidatingOnWrite, PUBLIC_CACHE_MS, ReadCache } from '../application/shared/read-cache.js';
import type { NotificationSettingsRepository } from '../domain/ports/notification-settings-repository.port.js';
import type { NotificationSettings } from '../domain/notifications/notification-settings.js';
import { DailySeatAlerts, type SeatAlerts } from '../application/registration/seat-alerts.js';
import type { RateLimitPort } from '../domain/ports/rate-limit.port.js';
import type { SeatAlertRepository } from '../domain/ports/seat-alert.port.js';
import { KnexRateLimiter } from '../adapters/rate-limit/knex-rate-limiter.js';
import { KnexSeatAlertRepository } from '../adapters/persistence/seat-alert.repository.js';
import { KnexRegistrationWrites } from '../adapters/persistence/registration-writes.store.js';
import type { RegistrationWrites } from '../domain/ports/registration-writes.port.js';
import type { RegistrationRules } from '../application/rules/registration-rules.js';
import { ManifestLinkPaths } from '../adapters/http/shared/manifest-link-paths.js';
import type { RouteContribution } from '../adapters/http/shared/route-contribution.js';
import { PublicPageHeaders } from '../adapters/http/public/public-page-headers.js';
import { PublicPages } from '../adapters/http/public/public-pages.js';
import { PublicPaths } from '../adapters/http/public/public-paths.js';
import { EmailedLinkPages } from '../adapters/http/public/emailed-link-pages.js';
import { RegistrationFormController } from '../adapters/http/public/registration-form.controller.js';
import { OneClickEnrolController } from '../adapters/http/public/one-click-enrol.controller.js';
import { InvitationController } from '../adapters/http/public/invitation.controller.js';
import { SignInLinkController } from '../adapters/http/public/sign-in-link.controller.js';

/** The registration use cases built together (they share caches, limits and pacing); each is bound by its class. */
const REGISTRATION_USE_CASES = Symbol.for('selfreg.RegistrationUseCases');

/**
 * The registration page: its use cases, shared abuse limits, the seat-limit alert, the read caches of the public pages, and the public pages themselves — contributions to
 * the manifest routes `register` and `links`, mounted by ManifestRoutes. Writes to tokens and
 * settings go through invalidating proxies (branding has its own module), so this instance's caches never outlive a change it made.
 */
export const registrationModule = new ContainerModule(({ bind, onActivation }) => {
  bind(TYPES.ChangeSignal).toConstantValue(new ChangeSignal());
  // A token's use counter is not shown anywhere cached, and the registration transaction re-checks it.
  onActivation<TokenRepository>(TYPES.TokenRepository, (ctx, repo) => invalidatingOnWrite(repo, ctx.get<ChangeSignal>(TYPES.ChangeSignal), { ignore: ['claimUse'] }));
  onActivation<SettingsRepository>(TYPES.SettingsRepository, (ctx, repo) =>
    invalidatingOnWrite(repo, ctx.get<ChangeSignal>(TYPES.ChangeSignal), { reads: ['portalEnabled', 'branding'] }));
  // Every registration asks for its item's notification settings: kept like the other public reads
  // (PUBLIC_CACHE_MS, dropped at once by this instance's own saves and deletes).
  onActivation<NotificationSettingsRepository>(TYPES.NotificationSettingsRepository, (ctx, repo) => {
    const signal = ctx.get<ChangeSignal>(TYPES.ChangeSignal);
    const cache = new ReadCache<string, NotificationSettings>(signal, PUBLIC_CACHE_MS, () => performance.now(), 1000);
    const invalidating = invalidatingOnWrite(repo, signal);
    const get: NotificationSettingsRepository['get'] = (item, tx) => cache.get(`${item.type}:${item.id}`, () => repo.get(item, tx));
    return new Proxy(invalidating, { get: (target, prop, receiver) => (prop === 'get' ? get : Reflect.get(target, prop, receiver)) });
  });
  bind(TYPES.RateLimiter).to(KnexRateLimiter).inSingletonScope();
  bind(TYPES.SeatAlertRepository).to(KnexSeatAlertRepository).inSingletonScope();
  bind(TYPES.SeatAlerts)
    .toResolvedValue(
      (uow: UnitOfWork, alerts: SeatAlertRepository, outbox: OutboxPort, host: HostPorts) =>
        new DailySeatAlerts({ uow, alerts, outbox, users: host.users, portal: host.portal, clock: host.clock, logger: host.logger }),
      [TYPES.UnitOfWork, TYPES.SeatAlertRepository, TYPES.Outbox, TYPES.HostPorts],
    )
    .inSingletonScope();
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(TYPES.RateLimiter);
  bind(ManifestLinkPaths).toSelf().inSingletonScope();
  bind(TYPES.RegistrationWrites).to(KnexRegistrationWrites).inSingletonScope();
  bind(REGISTRATION_USE_CASES)
    .toResolvedValue(
      (
        uow: UnitOfWork, tokens: TokenRepository, registrations: RegistrationRepository, links: EmailLinkRepository,
        outbox: OutboxPort, settings: SettingsRepository, host: HostPorts, random: RandomSource, hasher: SecretHasher,
        enrolmentListeners: EnrolmentListener[] | undefined,
        limits: RateLimitPort, seatAlerts: SeatAlerts, signal: ChangeSignal, linkPaths: ManifestLinkPaths, writes: RegistrationWrites,
        webhookNotices: WebhookNotices,
        rules: RegistrationRules,
      ) =>
        registrationUseCases({
          uow, tokens, registrations, links, outbox, settings, random, hasher, enrolmentListeners: enrolmentListeners ?? [],
          users: host.users, enrolments: host.enrolments, catalogue: host.catalogue, portal: host.portal,
          seats: host.seats, passwords: host.credentials, clock: host.clock, logger: host.logger,
          limits, seatAlerts, signal, cacheMs: PUBLIC_CACHE_MS, linkPaths, writes, webhookNotices, rules,
          millis: () => performance.now(), pause: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
        }),
      [
        TYPES.UnitOfWork, TYPES.TokenRepository, TYPES.RegistrationRepository, TYPES.EmailLinkRepository, TYPES.Outbox,
        TYPES.SettingsRepository, TYPES.HostPorts, TYPES.Random, TYPES.SecretHasher,
        { serviceIdentifier: TYPES.EnrolmentListener, isMultiple: true, optional: true },
        TYPES.RateLimiter, TYPES.SeatAlerts, TYPES.ChangeSignal, ManifestLinkPaths, TYPES.RegistrationWrites, TYPES.WebhookNotices, TYPES.RegistrationRules,
      ],
    )
    .inSingletonScope();
  const useCase = <K extends keyof RegistrationUseCases>(id: Newable<RegistrationUseCases[K]>, key: K) =>
    bind(id).toResolvedValue((all: RegistrationUseCases) => all[key], [REGISTRATION_USE_CASES]).inSingletonScope();
  useCase(RegistrationOpenQuery, 'registrationOpen');
  useCase(OpenDeepLinkQuery, 'openDeepLink');
  useCase(OpenOneClickEnrolmentQuery, 'openOneClickEnrolment');
  useCase(CountAttemptUseCase, 'countAttempt');
  useCase(RegisterUseCase, 'register');
  useCase(EnrolSignedInUseCase, 'enrolSignedIn');
  useCase(InspectEmailedLinkQuery, 'inspectEmailedLink');
  useCase(AcceptInvitationUseCase, 'acceptInvitation');
  useCase(ConfirmSignInLinkUseCase, 'confirmSignInLink');

  // The public pages: the manifest routes `register` (form, deep links, one-click) and `links` (emailed links).
  bind(PublicPages).toSelf().inSingletonScope();
  bind(PublicPaths).toSelf().inSingletonScope();
  bind(EmailedLinkPages).toSelf().inSingletonScope();
  const controllers: Newable<RouteContribution>[] = [RegistrationFormController, OneClickEnrolController, InvitationController, SignInLinkController];
  for (const controller of controllers) bind(controller).toSelf().inSingletonScope();
  // Contributions are composed in binding order: each mount's page headers come first.
  bind<RouteContribution>(TYPES.RouteContribution).toConstantValue(new PublicPageHeaders('register'));
  bind<RouteContribution>(TYPES.RouteContribution).toService(RegistrationFormController);
  bind<RouteContribution>(TYPES.RouteContribution).toService(OneClickEnrolController);
  bind<RouteContribution>(TYPES.RouteContribution).toConstantValue(new PublicPageHeaders('links', true));
  bind<RouteContribution>(TYPES.RouteContribution).toService(InvitationController);
  bind<RouteContribution>(TYPES.RouteContribution).toService(SignInLinkController);
});
