/* Every token-management use case built on the fakes of one world, with the manifest's real permissions. */
import { TokenViews } from '../../../../src/application/tokens/token-view.js';
import { ItemTokensQuery } from '../../../../src/application/tokens/item-tokens.query.js';
import { GetTokenQuery } from '../../../../src/application/tokens/get-token.query.js';
import { ListTokensQuery } from '../../../../src/application/tokens/list-tokens.query.js';
import { CreateTokenUseCase } from '../../../../src/application/tokens/create-token.use-case.js';
import { UpdateTokenUseCase } from '../../../../src/application/tokens/update-token.use-case.js';
import { SetTokenEnabledUseCase } from '../../../../src/application/tokens/set-token-enabled.use-case.js';
import { DeleteTokenUseCase } from '../../../../src/application/tokens/delete-token.use-case.js';
import { AuditLogQuery } from '../../../../src/application/tokens/audit-log.query.js';
import { ListTokenRegistrationsQuery } from '../../../../src/application/tokens/list-token-registrations.query.js';
import { PortalStatusQuery } from '../../../../src/application/portal/portal-status.query.js';
import { SwitchPortalUseCase } from '../../../../src/application/portal/switch-portal.use-case.js';
import type { RandomSource } from '../../../../src/domain/ports/random.port.js';
import { FakeRandom, item, makeWorld, user, type World } from '../../../support/fakes/index.js';
import { permissions } from '../../../support/permissions.js';

export { permissions };

export function tokenUseCases(world: World, random: RandomSource = world.random) {
  const views = new TokenViews(world.users, world.clock);
  const update = new UpdateTokenUseCase(permissions, world.uow, world.tokens, world.audit, world.catalogue, world.portal, world.clock, views);
  return {
    itemTokens: new ItemTokensQuery(permissions, world.catalogue, world.tokens, views),
    get: new GetTokenQuery(permissions, world.tokens, world.catalogue, views),
    list: new ListTokensQuery(permissions, world.tokens, world.catalogue, world.clock, views),
    create: new CreateTokenUseCase(permissions, world.uow, world.tokens, world.audit, world.catalogue, world.portal, random, world.clock),
    update,
    setEnabled: new SetTokenEnabledUseCase(update),
    delete: new DeleteTokenUseCase(permissions, world.uow, world.tokens, world.audit, world.clock),
    auditLog: new AuditLogQuery(permissions, world.audit),
    registrations: new ListTokenRegistrationsQuery(permissions, world.tokens, world.tokenRegistrations, world.users),
    portalStatus: new PortalStatusQuery(permissions, world.settings),
    switchPortal: new SwitchPortalUseCase(permissions, world.settings, world.audit, world.clock),
  };
}

/** The items and people the token use-case tests share. */
export const topic = item('topic', '42', { title: 'Fire safety' });
export const libraryArticle = item('article', '7', { origin: 'library' });
export const superAdmin = user('admin-1', { type: 'staff', role: 'super_admin' });
export const standardAdmin = user('admin-2', { type: 'staff', role: 'standard_admin' });
export const learner = user('learner-1');
export const suspendedAdmin = user('admin-3', { type: 'staff', role: 'super_admin', status: 'suspended' });

/** A world holding the shared topic and library article, with every token use case built on it. */
export function setup(random = new FakeRandom()) {
  const world: World = makeWorld();
  world.db.state.items.push(topic, libraryArticle);
  const uc = tokenUseCases(world, random);
  return { world, uc, random };
}
