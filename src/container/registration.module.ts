import { ContainerModule } from 'inversify';
import type { HostV1 } from '../contract/index.js';
import { TYPES, type LifecycleContribution } from './types.js';
import type { RandomSource } from '../domain/ports/random.port.js';
import type { UnitOfWork } from '../domain/ports/unit-of-work.port.js';
import type { EmailLinkRepository, EnrolmentListener, OutboxPort, RegistrationRepository, SecretHasher, SettingsRepository, TokenRepository } from '../domain/ports/repositories.port.js';
import { RegistrationService } from '../application/registration/registration.service.js';
import { ChangeSignal, invalidatingOnWrite, PUBLIC_CACHE_MS } from '../application/shared/read-cache.js';
import { SeatAlertService, type SeatAlerts } from '../application/registration/seat-alerts.service.js';
import type { RateLimitPort } from '../domain/ports/rate-limit.port.js';
import type { SeatAlertRepository } from '../domain/ports/seat-alert.port.js';
import { KnexRateLimiter } from '../adapters/rate-limit/knex-rate-limiter.js';
import { KnexSeatAlertRepository } from '../adapters/persistence/seat-alert.repository.js';
import { PublicRoutes } from '../adapters/http/public/public.routes.js';

/**
 * The registration page: its use cases and routes, shared abuse limits, the seat-limit alert, and the
 * read caches of the public pages (branding has its own module). Writes to tokens and settings go through
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
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(TYPES.RateLimiter);
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
  bind(PublicRoutes).toSelf().inSingletonScope();
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(PublicRoutes);
});
