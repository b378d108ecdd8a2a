/* ListTokenRegistrationsQuery: who registered with a token. */
import { expect } from 'chai';
import { item, NOW, seedToken, user } from '../../../support/fakes/index.js';
import { setup, superAdmin, topic } from './admin-scene.fixture.js';

describe('application/ListTokenRegistrationsQuery', () => {
  it('lists the people registered with a token, as the host knows them now', async () => {
    const { world, uc } = setup();
    seedToken(world.db, 't1', 'AAAAAAAAAAAA', topic.ref, { nickname: 'Fair' });
    const ada = user('u-9', { firstName: 'Ada', lastName: 'Lovelace', type: 'prospect' });
    world.db.state.users.push(ada);
    world.db.state.registrations.push(
      { tokenId: 't1', tokenNickname: 'Fair', item: topic.ref, userId: 'u-9', newUser: true, at: NOW },
      { tokenId: 't1', tokenNickname: 'Fair', item: topic.ref, userId: 'gone', newUser: false, at: NOW },
    );
    const r = await uc.registrations.execute(superAdmin, 't1');
    expect(r.ok && r.value.total).to.equal(2);
    expect(r.ok && r.value.registrations.map((x) => x.user?.email ?? null)).to.deep.equal([null, 'u-9@example.com']);
    expect(await uc.registrations.execute(superAdmin, 'nope')).to.deep.equal({ ok: false, error: { code: 'TOKEN.NOT_FOUND' } });
  });
});
