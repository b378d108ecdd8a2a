import type { HostPorts } from '../adapters/host/host-ports.js';
import { ContainerModule } from 'inversify';
import { TYPES } from '../types.js';
import type { UnitOfWork } from '../domain/ports/unit-of-work.port.js';
import type { EmailLinkRepository } from '../domain/ports/email-link-repository.port.js';
import type { RegistrationRepository } from '../domain/ports/registration-repository.port.js';
import type { SecretHasher } from '../domain/ports/secret-hasher.port.js';
import type { SettingsRepository } from '../domain/ports/settings-repository.port.js';
import type { TokenRepository } from '../domain/ports/token-repository.port.js';
import type { ApiKeyRepository } from '../domain/ports/api-key-repository.port.js';
import type { AuditRepository } from '../domain/ports/audit-repository.port.js';
import type { TokenAdminRepository } from '../domain/ports/token-admin-repository.port.js';
import type { TokenRegistrationQuery } from '../domain/ports/token-registration-query.port.js';
import { KnexAuditRepository } from '../adapters/persistence/audit.repository.js';
import { KnexApiKeyRepository } from '../adapters/persistence/api-key.repository.js';
import { KnexTokenRegistrationQuery } from '../adapters/persistence/token-registrations.query.js';
import { CodeProtector, CsrfTokens, randomSource, sha256Hasher } from '../adapters/crypto/crypto.adapters.js';
import { KnexUnitOfWork } from '../adapters/persistence/knex-unit-of-work.js';
import { KnexTokenRepository } from '../adapters/persistence/token.repository.js';
import { KnexRegistrationRepository } from '../adapters/persistence/registration.repository.js';
import { KnexEmailLinkRepository } from '../adapters/persistence/email-link.repository.js';
import { KnexSettingsRepository } from '../adapters/persistence/settings.repository.js';
import { KnexOutbox } from '../adapters/mail/outbox.store.js';
import { MailRenderer } from '../adapters/mail/mail-renderer.js';
import { devMailboxSender, smtpSender } from '../adapters/mail/mail-sender.js';
import { OutboxWorker } from '../adapters/mail/outbox.worker.js';
import type { ResolvedOptions } from '../manifest/options.js';
import { Views } from '../adapters/views.js';

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
      (outbox: KnexOutbox, options: ResolvedOptions, host: HostPorts, settings: SettingsRepository, views: Views) => {
        const { smtpUrl } = options;
        return new OutboxWorker(
          outbox,
          new MailRenderer(views),
          // A factory: stop() closes the SMTP pool, and a later start() needs a fresh one.
          () => (smtpUrl ? smtpSender(smtpUrl, { maxConnections: options.smtpMaxConnections }) : devMailboxSender(host.devMailbox ?? undefined, host.logger)),
          host.portal,
          host.logger,
          {
            from: options.mailFrom, pollMs: options.outboxPollMs, maxAttempts: options.mailMaxAttempts,
            baseDelayMs: options.mailRetryBaseMs, maxOutageDelayMs: options.mailOutageRetryMaxMs,
          },
          settings,
        );
      },
      [TYPES.Outbox, TYPES.ResolvedOptions, TYPES.HostPorts, TYPES.SettingsRepository, TYPES.Views],
    )
    .inSingletonScope();
});
