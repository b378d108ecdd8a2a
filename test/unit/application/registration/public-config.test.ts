/* The portal switch and base URL, read through a short cache. */
import { expect } from 'chai';
import { setup } from './scenarios/visitor.scenario.js';

describe('application/registration/PublicConfigReader', () => {
  describe('read caches', () => {
    it('the portal switch is cached until the signal says settings changed', async () => {
      const { world, useCases, signal } = setup({ cacheMs: 60_000 });
      expect(await useCases.registrationOpen.execute()).to.equal(true);
      world.db.state.portalEnabled = false;
      expect(await useCases.registrationOpen.execute()).to.equal(true);
      signal.bump();
      expect(await useCases.registrationOpen.execute()).to.equal(false);
    });
  });
});
