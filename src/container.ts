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
import { RegistrationService } from './application/registration.service.js';
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
import { Views } from './adapters/views.js';
import { PublicRoutes } from './adapters/http/public.routes.js';
import { AdminRoutes } from './adapters/http/admin.routes.js';
import { SettingsPanels } from './adapters/http/panels.js';
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
  bind(TYPES.Outbox).to(KnexOutbox).inSingletonScope();
  bind(TYPES.Views).toConstantValue(new Views());
  bind(TYPES.OutboxWorker)
    .toResolvedValue(
      (outbox: KnexOutbox, views: Views, options: PluginOptions, host: HostV1) =>
        new OutboxWorker(
          outbox,
          new MailRenderer(views),
          options.smtpUrl ? smtpSender(options.smtpUrl) : devMailboxSender(host.devMailbox, host.logger),
          host.portal,
          host.logger,
          { from: options.mailFrom ?? 'no-reply@localhost', pollMs: options.outboxPollMs ?? 2000 },
        ),
      [TYPES.Outbox, TYPES.Views, TYPES.Options, TYPES.Host],
    )
    .inSingletonScope();
});

/** Application services: plain classes, constructed here so they stay free of framework decorators. */
export const applicationModule = new ContainerModule(({ bind }) => {
  bind(TYPES.TokensService)
    .toResolvedValue((tokens: TokenRepository, catalogue: CataloguePort, random: RandomSource, clock: ClockPort) => new TokensService(tokens, catalogue, random, clock), [
      TYPES.TokenRepository, TYPES.Catalogue, TYPES.Random, TYPES.Clock,
    ])
    .inSingletonScope();
  bind(TYPES.RegistrationService)
    .toResolvedValue(
      (
        uow: UnitOfWork, tokens: TokenRepository, registrations: RegistrationRepository, links: EmailLinkRepository,
        outbox: OutboxPort, settings: SettingsRepository, host: HostV1, random: RandomSource, hasher: SecretHasher,
        enrolmentListeners: EnrolmentListener[] | undefined,
      ) =>
        new RegistrationService({
          uow, tokens, registrations, links, outbox, settings, random, hasher, enrolmentListeners: enrolmentListeners ?? [],
          users: host.users, enrolments: host.enrolments, catalogue: host.catalogue, portal: host.portal,
          seats: host.seats, passwords: host.credentials, clock: host.clock, logger: host.logger,
        }),
      [
        TYPES.UnitOfWork, TYPES.TokenRepository, TYPES.RegistrationRepository, TYPES.EmailLinkRepository, TYPES.Outbox,
        TYPES.SettingsRepository, TYPES.Host, TYPES.Random, TYPES.SecretHasher,
        { serviceIdentifier: TYPES.EnrolmentListener, isMultiple: true, optional: true },
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
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(SettingsPanels);
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(AdminRoutes);
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(PublicRoutes);
});

export function buildContainer(host: HostV1, options: PluginOptions, manifest: Manifest): Container {
  const container = new Container();
  container.load(hostModule(host, options, manifest), infrastructureModule, applicationModule, contributionsModule);
  return container;
}
