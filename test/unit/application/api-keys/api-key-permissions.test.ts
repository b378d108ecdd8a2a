/* Only Super admins (the manifest’s apikeys.manage) create, list and revoke API keys. */
import { expect } from 'chai';
import { learner, setup, standardAdmin } from './api-key-use-cases.fixture.js';

describe('application/api-keys: permissions', () => {
  it('only Super admins create, list and revoke keys', async () => {
    const { world, uc } = setup();
    for (const actor of [null, learner, standardAdmin]) {
      expect(await uc.create.execute(actor, 'CRM')).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
      expect(await uc.list.execute(actor)).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
      expect(await uc.revoke.execute(actor, 'key-1')).to.deep.equal({ ok: false, error: { code: 'PERMISSION.DENIED' } });
    }
    expect(world.db.state.apiKeys ?? []).to.have.length(0);
  });
});
