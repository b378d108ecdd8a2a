/* TokenViews: who created a token, by the snapshot or the host’s current name. */
import { expect } from 'chai';
import { seedToken, user } from '../../../support/fakes/index.js';
import { setup, superAdmin, topic } from './admin-scene.fixture.js';

describe('application/TokenViews', () => {
  it('names the creator from the snapshot, else as the host knows them now', async () => {
    const { world, uc } = setup();
    seedToken(world.db, 't1', 'AAAAAAAAAAAA', topic.ref, { createdBy: 'admin-2' });
    seedToken(world.db, 't2', 'BBBBBBBBBBBB', topic.ref, { createdBy: 'admin-2', createdByName: 'Erin at the time' });
    seedToken(world.db, 't3', 'CCCCCCCCCCCC', topic.ref, { createdBy: 'deleted-user' });
    const r = await uc.itemTokens.execute(superAdmin, topic.ref);
    expect(r.ok && r.value.tokens.map((t) => t.createdByName)).to.deep.equal([null, 'Erin at the time', 'Erin Editor']);
  });
});
