/* What the confirm page of an emailed link shows, consuming nothing. */
import { expect } from 'chai';
import { user } from '../../../support/fakes/index.js';
import { HOUR, topic, ada, setup, secretOf } from './scenarios/form.scenario.js';

describe('application/registration/InspectEmailedLinkQuery', () => {
  describe('inspectLink', () => {
    it('describes a live link without consuming it, however often it is opened', async () => {
      const grace = user('user-grace', { email: 'grace@example.com' });
      const { world, db, useCases } = setup((w) => w.db.state.users.push(grace));
      await useCases.register.execute({ ...ada, email: 'grace@example.com' });
      const secret = secretOf(db.state.outbox[0]);
      const runs = db.commits + db.rollbacks;
      for (let i = 0; i < 3; i++) {
        expect(await useCases.inspectEmailedLink.execute('sign_in', secret)).to.deep.equal({ ok: true, purpose: 'sign_in', user: grace, item: topic });
      }
      expect(db.state.links[0]!.usedAt).to.equal(null);
      expect(db.commits + db.rollbacks).to.equal(runs);
      expect(world.tokens.claimCalls).to.equal(0);
      expect((await useCases.confirmSignInLink.execute(secret)).ok).to.equal(true);
      expect(await useCases.inspectEmailedLink.execute('sign_in', secret)).to.deep.equal({ ok: false, reason: { code: 'LINK.USED' } });
    });

    it('refuses the wrong purpose, an expired link and a suspended user', async () => {
      const { world, db, useCases } = setup();
      await useCases.register.execute(ada);
      const secret = secretOf(db.state.outbox[0]);
      expect(await useCases.inspectEmailedLink.execute('sign_in', secret)).to.deep.equal({ ok: false, reason: { code: 'LINK.INVALID' } });
      db.state.users = db.state.users.map((u) => ({ ...u, status: 'suspended' as const }));
      expect(await useCases.inspectEmailedLink.execute('invitation', secret)).to.deep.equal({ ok: false, reason: { code: 'LINK.INVALID' } });
      world.clock.advance(72 * HOUR);
      expect(await useCases.inspectEmailedLink.execute('invitation', secret)).to.deep.equal({ ok: false, reason: { code: 'LINK.EXPIRED' } });
    });

    it('gives item null when the item has gone', async () => {
      const { db, useCases } = setup();
      await useCases.register.execute(ada);
      db.state.items = [];
      const r = await useCases.inspectEmailedLink.execute('invitation', secretOf(db.state.outbox[0]));
      expect(r.ok && r.item).to.equal(null);
    });
  });
});
