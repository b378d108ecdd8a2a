import { ContainerModule } from 'inversify';
import { TYPES, type LifecycleContribution } from './types.js';
import type { CataloguePort } from '../domain/ports/host.ports.js';
import type { ClockPort } from '../domain/ports/clock.port.js';
import type { RandomSource } from '../domain/ports/random.port.js';
import type { UnitOfWork } from '../domain/ports/unit-of-work.port.js';
import type { SecretHasher, SettingsRepository } from '../domain/ports/repositories.port.js';
import { TokensService } from '../application/tokens/tokens.service.js';
import { PortalSwitchService } from '../application/portal/portal-switch.service.js';
import { ApiKeysService } from '../application/api-keys/api-keys.service.js';
import type { ApiKeyRepository, AuditRepository, TokenAdminRepository, TokenRegistrationQuery } from '../domain/ports/token-admin.port.js';
import type { PortalPort, UsersPort } from '../domain/ports/host.ports.js';
import { ApiRoutes } from '../adapters/http/api/api.routes.js';
import { AdminRoutes } from '../adapters/http/admin/admin.routes.js';
import { SettingsPanels } from '../adapters/http/panels/token-panels.js';
import { type PanelProvider } from '../adapters/http/panels/manifest-panels.js';

/**
 * Token management: the use cases behind the Enrolment and Self-registration panels, the Tokens and
 * Activity pages and the JSON API, and those routes and panels.
 */
export const tokensModule = new ContainerModule(({ bind }) => {
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
  bind(SettingsPanels).toSelf().inSingletonScope();
  bind(AdminRoutes).toSelf().inSingletonScope();
  bind(ApiRoutes).toSelf().inSingletonScope();
  bind<PanelProvider>(TYPES.PanelProvider).toService(SettingsPanels);
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(AdminRoutes);
  bind<LifecycleContribution>(TYPES.Lifecycle).toService(ApiRoutes);
});
