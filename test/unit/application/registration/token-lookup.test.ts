/* The cached lookup of a code's token: what is kept, for how long, and what is never trusted from it. */
import { expect } from 'chai';
import { NOW } from '../../../support/fakes/index.js';
import { CODE, ada, grace, refused, setup } from './scenarios/visitor.scenario.js';

describe('application/registration/TokenLookup', () => {
  describe('read caches', () => {
    it('a code is looked up once per cache period; a write anywhere (the signal) or the period ending reads again', async () => {
      const { world, useCases, signal, tick } = setup({ cacheMs: 1000 });
      await useCases.openDeepLink.execute(CODE);
      await useCases.openDeepLink.execute('abcd-efgh-jkmn');
      expect(world.tokens.findByCodeCalls).to.equal(1);
      signal.bump();
      await useCases.openDeepLink.execute(CODE);
      expect(world.tokens.findByCodeCalls).to.equal(2);
      tick(999);
      await useCases.openDeepLink.execute(CODE);
      expect(world.tokens.findByCodeCalls).to.equal(2);
      tick(1);
      await useCases.openDeepLink.execute(CODE);
      expect(world.tokens.findByCodeCalls).to.equal(3);
    });

    it('unknown codes are never kept (guesses must not fill memory)', async () => {
      const { world, useCases } = setup({ cacheMs: 1000 });
      await useCases.openDeepLink.execute('ZZZZ-ZZZZ-ZZZZ');
      await useCases.openDeepLink.execute('ZZZZ-ZZZZ-ZZZZ');
      expect(world.tokens.findByCodeCalls).to.equal(2);
    });

    it('the expiry is judged at each request even from the cache', async () => {
      const { world, useCases } = setup({ cacheMs: 60_000, token: { expiresAt: new Date(NOW.getTime() + 1000) } });
      expect((await useCases.openDeepLink.execute(CODE)).kind).to.equal('usable');
      world.clock.advance(1000);
      expect(await useCases.openDeepLink.execute(CODE)).to.deep.equal(refused('TOKEN.EXPIRED'));
      expect(world.tokens.findByCodeCalls).to.equal(1);
    });

    it('a known email is answered from the token as it is now, not as cached: no link for a token just disabled', async () => {
      const { db, useCases } = setup({ cacheMs: 60_000 });
      expect((await useCases.openDeepLink.execute(CODE)).kind).to.equal('usable');
      db.state.tokens = db.state.tokens.map((t) => ({ ...t, enabled: false })); // behind the cache's back
      expect(await useCases.register.execute({ ...ada, email: 'grace@example.com' })).to.deep.equal(refused('TOKEN.DISABLED'));
      expect(db.state.outbox).to.deep.equal([]);
    });

    it('a new person is never registered from a stale token: the use is claimed in the transaction', async () => {
      const { db, useCases } = setup({ cacheMs: 60_000 });
      expect((await useCases.openDeepLink.execute(CODE)).kind).to.equal('usable');
      db.state.tokens = db.state.tokens.map((t) => ({ ...t, enabled: false })); // behind the cache's back
      expect(await useCases.register.execute(ada)).to.deep.equal(refused('TOKEN.DISABLED'));
      expect(db.state.users).to.deep.equal([grace]);
    });
  });
});
