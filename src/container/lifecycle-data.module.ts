import { ContainerModule } from 'inversify';
import { TYPES } from '../types.js';
import { ErasePersonUseCase } from '../application/privacy/erase-person.use-case.js';
import { CopyClonedItemUseCase } from '../application/tokens/copy-cloned-item.use-case.js';
import type { PersonalDataHolder } from '../domain/ports/personal-data.port.js';
import type { UnitOfWork } from '../domain/ports/unit-of-work.port.js';
import type { LoggerPort } from '../domain/ports/logger.port.js';
import type { ClockPort } from '../domain/ports/clock.port.js';
import type { RandomSource } from '../domain/ports/random.port.js';
import type { CataloguePort } from '../domain/ports/catalogue.port.js';
import type { AuditRepository } from '../domain/ports/audit-repository.port.js';
import type { TokenAdminRepository } from '../domain/ports/token-admin-repository.port.js';
import type { TokenCopyStore } from '../domain/ports/token-copy-store.port.js';
import type { NotificationSettingsRepository } from '../domain/ports/notification-settings-repository.port.js';
import { DigestEntriesHolder, EmailLinksHolder, RegistrationsHolder } from '../adapters/persistence/erasure/registrant-data.holders.js';
import { ApiKeysHolder, NotificationRecipientsHolder, TokenAuthorshipHolder } from '../adapters/persistence/erasure/admin-data.holders.js';
import { KnexTokenCopyStore } from '../adapters/persistence/token-copy.store.js';
import { OutboxHolder } from '../adapters/mail/outbox.holder.js';
import { RateLimitHolder } from '../adapters/rate-limit/rate-limit.holder.js';
import { DataLifecycleHooks } from '../hooks/data-lifecycle.hooks.js';
import type { HookHandlers } from '../hooks/hook-types.js';
import type { ChangeSignal } from '../application/shared/read-cache.js';

/**
 * The data lifecycle: erasure of a person and copying a cloned item.
 *
 * Erasure's extension point: every feature that stores something naming a person binds a
 * `PersonalDataHolder` to `TYPES.PersonalDataHolder` (`bind<PersonalDataHolder>(TYPES.PersonalDataHolder).to(MyHolder)`,
 * in its own module). ErasePersonUseCase gets them all and runs them in one transaction on
 * `user.deleted` and `user.erased`; test/e2e/erasure.test.ts scans every `selfreg_` table afterwards,
 * so a table without a holder fails it.
 */
export const lifecycleDataModule = new ContainerModule(({ bind }) => {
  for (const holder of [RegistrationsHolder, EmailLinksHolder, DigestEntriesHolder, OutboxHolder, RateLimitHolder, TokenAuthorshipHolder, ApiKeysHolder, NotificationRecipientsHolder]) {
    bind<PersonalDataHolder>(TYPES.PersonalDataHolder).to(holder).inSingletonScope();
  }
  bind(TYPES.ErasePersonUseCase)
    .toResolvedValue(
      (uow: UnitOfWork, holders: PersonalDataHolder[], logger: LoggerPort, audit: AuditRepository, clock: ClockPort, signal: ChangeSignal) =>
        new ErasePersonUseCase(uow, holders, logger, audit, clock, signal),
      [TYPES.UnitOfWork, { serviceIdentifier: TYPES.PersonalDataHolder, isMultiple: true }, TYPES.Logger, TYPES.AuditRepository, TYPES.Clock, TYPES.ChangeSignal],
    )
    .inSingletonScope();

  bind<TokenCopyStore>(TYPES.TokenCopyStore).to(KnexTokenCopyStore).inSingletonScope();
  bind(TYPES.CopyClonedItemUseCase)
    .toResolvedValue(
      (uow: UnitOfWork, catalogue: CataloguePort, copies: TokenCopyStore, tokens: TokenAdminRepository, notificationSettings: NotificationSettingsRepository, audit: AuditRepository, random: RandomSource, clock: ClockPort, logger: LoggerPort) =>
        new CopyClonedItemUseCase({ uow, catalogue, copies, tokens, notificationSettings, audit, random, clock, logger }),
      [TYPES.UnitOfWork, TYPES.Catalogue, TYPES.TokenCopyStore, TYPES.TokenAdminRepository, TYPES.NotificationSettingsRepository, TYPES.AuditRepository, TYPES.Random, TYPES.Clock, TYPES.Logger],
    )
    .inSingletonScope();

  bind(DataLifecycleHooks).toSelf().inSingletonScope();
  bind<HookHandlers>(TYPES.HookHandlers).toService(DataLifecycleHooks);
});
