import { ContainerModule, type ServiceIdentifier } from 'inversify';
import { TYPES } from '../types.js';
import { TokenViews } from '../application/tokens/token-view.js';
import { ItemTokensQuery } from '../application/tokens/item-tokens.query.js';
import { GetTokenQuery } from '../application/tokens/get-token.query.js';
import { ListTokensQuery } from '../application/tokens/list-tokens.query.js';
import { CreateTokenUseCase } from '../application/tokens/create-token.use-case.js';
import { UpdateTokenUseCase } from '../application/tokens/update-token.use-case.js';
import { SetTokenEnabledUseCase } from '../application/tokens/set-token-enabled.use-case.js';
import { DeleteTokenUseCase } from '../application/tokens/delete-token.use-case.js';
import { AuditLogQuery } from '../application/tokens/audit-log.query.js';
import { ListTokenRegistrationsQuery } from '../application/tokens/list-token-registrations.query.js';
import { PortalStatusQuery } from '../application/portal/portal-status.query.js';
import { SwitchPortalUseCase } from '../application/portal/switch-portal.use-case.js';
import { ListApiKeysQuery } from '../application/api-keys/list-api-keys.query.js';
import { CreateApiKeyUseCase } from '../application/api-keys/create-api-key.use-case.js';
import { RevokeApiKeyUseCase } from '../application/api-keys/revoke-api-key.use-case.js';
import { AuthenticateApiKeyUseCase } from '../application/api-keys/authenticate-api-key.use-case.js';
import type { RouteContribution } from '../adapters/http/shared/route-contribution.js';
import type { SettingsPanel } from '../adapters/http/shared/settings-panel.js';
import { AdminPaths } from '../adapters/http/admin/admin-paths.js';
import { AdminPages } from '../adapters/http/admin/admin-pages.js';
import { AdminGate } from '../adapters/http/admin/admin-gate.js';
import { ItemLinks } from '../adapters/http/admin/item-links.js';
import { TokenRows } from '../adapters/http/admin/token-rows.js';
import { TokenFormFlash } from '../adapters/http/admin/token-form-flash.js';
import { TokensPageController } from '../adapters/http/admin/tokens-page.controller.js';
import { ActivityPageController } from '../adapters/http/admin/activity-page.controller.js';
import { DeleteConfirmationController } from '../adapters/http/admin/delete-confirmation.controller.js';
import { ItemTitlesQuery } from '../application/tokens/item-titles.query.js';
import { TokenQrController } from '../adapters/http/admin/token-qr.controller.js';
import { EnrolmentPanel } from '../adapters/http/admin/enrolment.panel.js';
import { TokenImportsController } from '../adapters/http/admin/token-imports.controller.js';
import { TokenBatchesController } from '../adapters/http/admin/token-batches.controller.js';
import { ItemTokenTable } from '../adapters/http/admin/item-token-table.js';
import { PortalPanel } from '../adapters/http/admin/portal.panel.js';
import { ApiGate } from '../adapters/http/api/api-gate.js';
import { ApiFallback } from '../adapters/http/api/api-fallback.js';
import { TokenJson } from '../adapters/http/api/token-json.js';
import { TokensResource } from '../adapters/http/api/tokens.resource.js';
import { TokenRegistrationsResource } from '../adapters/http/api/token-registrations.resource.js';
import { AuditResource } from '../adapters/http/api/audit.resource.js';
import { TokenImportsResource } from '../adapters/http/api/token-imports.resource.js';
import { TokenBatchesResource } from '../adapters/http/api/token-batches.resource.js';
import { EnrolmentRulesResource } from '../adapters/http/api/enrolment-rules.resource.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Newable<T = unknown> = new (...args: any[]) => T;
/**
 * Binds a use case, built from the services listed (in constructor order): the application layer
 * knows no container, so its classes carry no decorators.
 */
type Use = <T>(id: ServiceIdentifier<T>, make: (...deps: never[]) => T, deps: ServiceIdentifier[]) => void;

/**
 * Token management: the use cases behind the Enrolment and Self-registration panels, the Tokens and
 * Activity pages and the JSON API; those panels; and the routes they contribute to the manifest's
 * `admin` and `api` mounts. ManifestRoutes composes each mount's router in binding order, so the
 * gates are bound first and the API's fallback last.
 */
export const tokensModule = new ContainerModule(({ bind }) => {
  const use: Use = (id, make, deps) => bind(id).toResolvedValue(make as never, deps as never).inSingletonScope();
  const self = (c: Newable) => bind(c).toSelf().inSingletonScope();
  const P = TYPES.Permissions;

  // Use cases
  use(TokenViews, (users, clock) => new TokenViews(users, clock), [TYPES.Users, TYPES.Clock]);
  use(TYPES.ItemTokensQuery, (p, catalogue, tokens, views) => new ItemTokensQuery(p, catalogue, tokens, views), [P, TYPES.Catalogue, TYPES.TokenAdminRepository, TokenViews]);
  use(TYPES.GetTokenQuery, (p, tokens, catalogue, views) => new GetTokenQuery(p, tokens, catalogue, views), [P, TYPES.TokenAdminRepository, TYPES.Catalogue, TokenViews]);
  use(TYPES.ListTokensQuery, (p, tokens, catalogue, clock, views) => new ListTokensQuery(p, tokens, catalogue, clock, views), [P, TYPES.TokenAdminRepository, TYPES.Catalogue, TYPES.Clock, TokenViews]);
  use(
    TYPES.CreateTokenUseCase,
    (p, uow, tokens, audit, catalogue, portal, random, clock) => new CreateTokenUseCase(p, uow, tokens, audit, catalogue, portal, random, clock),
    [P, TYPES.UnitOfWork, TYPES.TokenAdminRepository, TYPES.AuditRepository, TYPES.Catalogue, TYPES.Portal, TYPES.Random, TYPES.Clock],
  );
  use(
    TYPES.UpdateTokenUseCase,
    (p, uow, tokens, audit, catalogue, portal, clock, views, notices) => new UpdateTokenUseCase(p, uow, tokens, audit, catalogue, portal, clock, views, notices),
    [P, TYPES.UnitOfWork, TYPES.TokenAdminRepository, TYPES.AuditRepository, TYPES.Catalogue, TYPES.Portal, TYPES.Clock, TokenViews, TYPES.WebhookNotices],
  );
  use(TYPES.SetTokenEnabledUseCase, (update) => new SetTokenEnabledUseCase(update), [TYPES.UpdateTokenUseCase]);
  use(TYPES.DeleteTokenUseCase, (p, uow, tokens, audit, clock) => new DeleteTokenUseCase(p, uow, tokens, audit, clock), [P, TYPES.UnitOfWork, TYPES.TokenAdminRepository, TYPES.AuditRepository, TYPES.Clock]);
  use(TYPES.ItemTitlesQuery, (catalogue) => new ItemTitlesQuery(catalogue), [TYPES.Catalogue]);
  use(TYPES.AuditLogQuery, (p, audit) => new AuditLogQuery(p, audit), [P, TYPES.AuditRepository]);
  use(
    TYPES.ListTokenRegistrationsQuery,
    (p, tokens, registrations, users) => new ListTokenRegistrationsQuery(p, tokens, registrations, users),
    [P, TYPES.TokenAdminRepository, TYPES.TokenRegistrationQuery, TYPES.Users],
  );
  use(TYPES.PortalStatusQuery, (p, settings) => new PortalStatusQuery(p, settings), [P, TYPES.SettingsRepository]);
  use(TYPES.SwitchPortalUseCase, (p, settings, audit, clock) => new SwitchPortalUseCase(p, settings, audit, clock), [P, TYPES.SettingsRepository, TYPES.AuditRepository, TYPES.Clock]);
  use(TYPES.ListApiKeysQuery, (p, keys) => new ListApiKeysQuery(p, keys), [P, TYPES.ApiKeyRepository]);
  use(TYPES.CreateApiKeyUseCase, (p, uow, keys, audit, hasher, random, clock) => new CreateApiKeyUseCase(p, uow, keys, audit, hasher, random, clock), [P, TYPES.UnitOfWork, TYPES.ApiKeyRepository, TYPES.AuditRepository, TYPES.SecretHasher, TYPES.Random, TYPES.Clock]);
  use(TYPES.RevokeApiKeyUseCase, (p, uow, keys, audit, clock) => new RevokeApiKeyUseCase(p, uow, keys, audit, clock), [P, TYPES.UnitOfWork, TYPES.ApiKeyRepository, TYPES.AuditRepository, TYPES.Clock]);
  use(TYPES.AuthenticateApiKeyUseCase, (keys, users, hasher, clock) => new AuthenticateApiKeyUseCase(keys, users, hasher, clock), [TYPES.ApiKeyRepository, TYPES.Users, TYPES.SecretHasher, TYPES.Clock]);

  // HTTP collaborators
  [AdminPaths, AdminPages, ItemLinks, TokenRows, TokenFormFlash, TokenJson, ItemTokenTable].forEach(self);

  // The settings panels, which own their forms' endpoints
  for (const panel of [EnrolmentPanel, PortalPanel] as Newable<SettingsPanel>[]) {
    self(panel);
    bind<SettingsPanel>(TYPES.SettingsPanel).toService(panel);
  }

  // Contributions to the manifest's routes, in mount order
  // The bulk pages come before the panel's `/tokens/:id` forms, which would otherwise take `/tokens/imports`.
  const admin: Newable<RouteContribution>[] = [AdminGate, TokenImportsController, TokenBatchesController, EnrolmentPanel, PortalPanel, TokensPageController, ActivityPageController, DeleteConfirmationController, TokenQrController];
  const api: Newable<RouteContribution>[] = [ApiGate, TokensResource, TokenRegistrationsResource, AuditResource, TokenImportsResource, TokenBatchesResource, EnrolmentRulesResource, ApiFallback];
  [AdminGate, TokenImportsController, TokenBatchesController, TokensPageController, ActivityPageController, DeleteConfirmationController, TokenQrController, ...api].forEach(self);
  for (const c of [...admin, ...api]) bind<RouteContribution>(TYPES.RouteContribution).toService(c);
});
