/* Every token use case refuses learners and anonymous callers, writing nothing. */
import { expect } from 'chai';
import type { HostUser } from '../../../../src/domain/shared/user.js';
import { seedToken, tokenIn } from '../../../support/fakes/index.js';
import { audit, learner, setup, topic } from './admin-scene.fixture.js';

describe('application/tokens: permissions: every use case refuses learners and anonymous callers, writing nothing', () => {
  for (const [who, actor] of [['anonymous', null], ['a learner', learner]] as [string, HostUser | null][]) {
    it(`refuses ${who}`, async () => {
      const { world, uc } = setup();
      seedToken(world.db, 't1', 'AAAAAAAAAAAA', topic.ref, { nickname: 'Fair' });
      const results = [
        await uc.get.execute(actor, 't1'),
        await uc.list.execute(actor, {}),
        await uc.update.execute(actor, 't1', { nickname: 'x' }),
        await uc.setEnabled.execute(actor, 't1', false),
        await uc.delete.execute(actor, 't1'),
        await uc.auditLog.execute(actor, {}),
        await uc.registrations.execute(actor, 't1'),
      ];
      expect(results.map((r) => !r.ok && r.error.code)).to.deep.equal(Array(7).fill('PERMISSION.DENIED'));
      expect(tokenIn(world.db, 't1')).to.include({ nickname: 'Fair', enabled: true });
      expect(world.audit.entries).to.have.length(0);
    });
  }
});
