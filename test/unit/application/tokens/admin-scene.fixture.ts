/* The scene most token use case tests play in: three items (one library content), two admins and a learner, by name. */
import { item, makeWorld, NOW, user, type World } from '../../../support/fakes/index.js';
import { tokenUseCases } from './token-use-cases.fixture.js';

export const topic = item('topic', '42', { title: 'Fire safety' });
export const article = item('article', '8', { title: 'Ladder safety' });
export const library = item('pathway', '5', { origin: 'library', title: 'Imported pathway' });
export const superAdmin = user('admin-1', { type: 'staff', role: 'super_admin', firstName: 'Alex', lastName: 'Admin' });
export const standardAdmin = user('admin-2', { type: 'staff', role: 'standard_admin', firstName: 'Erin', lastName: 'Editor' });
export const learner = user('learner-1');

export function setup(now = NOW) {
  const world: World = makeWorld(now);
  world.db.state.items.push(topic, article, library);
  world.db.state.users.push(superAdmin, standardAdmin, learner);
  const uc = tokenUseCases(world);
  return { world, uc };
}

/** The audit log as [action, token id, details]. */
export const audit = (world: World) => world.audit.entries.map((e) => [e.action, e.tokenId, e.details]);
