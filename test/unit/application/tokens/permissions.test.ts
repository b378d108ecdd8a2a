/* Every token use case checks the manifest permission itself and refuses, writing nothing. */
import { expect } from 'chai';
import type { HostUser } from '../../../../src/domain/shared/user.js';
import { seedToken } from '../../../support/fakes/index.js';
import { PERMISSION_IDS } from '../../../../src/domain/ports/permissions.port.js';
import { permissions, learner, setup, superAdmin, suspendedAdmin, topic } from './token-use-cases.fixture.js';

describe('application/tokens: permissions', () => {
  const denied: [string, HostUser | null][] = [['anonymous', null], ['a learner', learner], ['a suspended admin', suspendedAdmin]];

  for (const [who, actor] of denied) {
    it(`refuses ${who}: no listing, no token created`, async () => {
      const { world, uc } = setup();
      seedToken(world.db, 't1', 'ABCDEFGHJKMN', topic.ref);
      expect(await uc.itemTokens.execute(actor, topic.ref)).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
      expect(await uc.create.execute(actor, topic.ref, { customCode: 'SUMMER-2026' })).to.deep.equal({
        ok: false,
        error: { code: 'PERMISSION.DENIED' },
      });
      expect(world.tokens.inserts).to.have.length(0);
      expect(world.db.state.tokens).to.have.length(1);
    });
  }

  it('checks only ids plugin/manifest.json declares, and an undeclared id fails loudly', () => {
    expect(permissions.ids()).to.include.members(Object.values(PERMISSION_IDS));
    expect(() => permissions.allows('self-registration:nothing' as never, superAdmin)).to.throw(/declares no permission/);
  });
});
