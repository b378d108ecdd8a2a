/* The API-key use cases on the fakes of one world, with the manifest's real permissions; two admins and a learner. */
import { AuthenticateApiKeyUseCase } from '../../../../src/application/api-keys/authenticate-api-key.use-case.js';
import { CreateApiKeyUseCase } from '../../../../src/application/api-keys/create-api-key.use-case.js';
import { ListApiKeysQuery } from '../../../../src/application/api-keys/list-api-keys.query.js';
import { RevokeApiKeyUseCase } from '../../../../src/application/api-keys/revoke-api-key.use-case.js';
import { FakeRandom, makeWorld, user } from '../../../support/fakes/index.js';
import { permissions } from '../tokens/token-use-cases.fixture.js';

export const superAdmin = user('admin-1', { type: 'staff', role: 'super_admin', firstName: 'Alex', lastName: 'Admin' });
export const standardAdmin = user('admin-2', { type: 'staff', role: 'standard_admin' });
export const learner = user('learner-1');

export function setup() {
  const world = makeWorld();
  world.db.state.users.push(superAdmin, standardAdmin, learner);
  const random = new FakeRandom();
  const uc = {
    create: new CreateApiKeyUseCase(permissions, world.uow, world.apiKeys, world.audit, world.hasher, random, world.clock),
    list: new ListApiKeysQuery(permissions, world.apiKeys),
    revoke: new RevokeApiKeyUseCase(permissions, world.uow, world.apiKeys, world.audit, world.clock),
    authenticate: new AuthenticateApiKeyUseCase(world.apiKeys, world.users, world.hasher, world.clock),
  };
  return { world, uc };
}
