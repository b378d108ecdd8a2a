/* SetTokenEnabledUseCase: deactivate and reactivate. */
import { expect } from 'chai';
import { seedToken } from '../../../support/fakes/index.js';
import { audit, setup, standardAdmin, superAdmin, topic } from './admin-scene.fixture.js';

describe('application/SetTokenEnabledUseCase: deactivate and reactivate', () => {
  it('flips the flag with disabled/enabled audit entries; repeating it is a no-op', async () => {
    const { world, uc } = setup();
    seedToken(world.db, 't1', 'AAAAAAAAAAAA', topic.ref, { nickname: 'Fair' });
    const off = await uc.setEnabled.execute(superAdmin, 't1', false);
    expect(off.ok && off.value.status).to.equal('disabled');
    await uc.setEnabled.execute(superAdmin, 't1', false);
    const on = await uc.setEnabled.execute(standardAdmin, 't1', true);
    expect(on.ok && on.value.status).to.equal('active');
    expect(audit(world)).to.deep.equal([
      ['token.disabled', 't1', {}],
      ['token.enabled', 't1', {}],
    ]);
    expect(world.audit.entries.map((e) => e.actor.name)).to.deep.equal(['Alex Admin', 'Erin Editor']);
  });
});
