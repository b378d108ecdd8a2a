/* The abuse limits, as the registration, the deep link and the attempt counter apply them. */
import { expect } from 'chai';
import { FakeRateLimiter } from '../../../support/fakes/index.js';
import { ada, refused, IP, setup, written } from './scenarios/visitor.scenario.js';

describe('application/registration/AbuseLimits', () => {
  describe('abuse limits', () => {
    it('a registration counts against the address, the email and the token, after checking the address has guesses left', async () => {
      const limits = new FakeRateLimiter();
      const { useCases } = setup({ limits });
      expect(await useCases.register.execute(ada, { ip: IP })).to.deep.equal({ kind: 'accepted' });
      expect(limits.calls).to.deep.equal([`consume ip ${IP}`, `peek unknownCode ${IP}`, 'consume email ada@example.com', 'consume token tok']);
    });

    it('over any limit: limited with the wait, and nothing written', async () => {
      for (const kind of ['ip', 'email', 'token', 'unknownCode'] as const) {
        const limits = new FakeRateLimiter();
        limits.deny[kind] = 90;
        const { world, useCases } = setup({ limits });
        const before = written(world);
        expect(await useCases.register.execute(ada, { ip: IP }), kind).to.deep.equal({ kind: 'limited', retryAfterSeconds: 90 });
        expect(written(world), kind).to.deep.equal(before);
      }
    });

    it('an unknown code counts as a guess; once the guesses are used up, even a valid code is answered "limited"', async () => {
      const limits = new FakeRateLimiter({ unknownCode: 2 });
      const { useCases } = setup({ limits });
      expect(await useCases.register.execute({ ...ada, code: 'ZZZZ-ZZZZ-ZZZZ' }, { ip: IP })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
      expect(await useCases.openDeepLink.execute('YYYY-YYYY-YYYY', { ip: IP })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
      expect(limits.counts.get(`unknownCode:${IP}`)).to.equal(2);
      expect(await useCases.openDeepLink.execute('ABCD-EFGH-JKMN', { ip: IP })).to.deep.equal({ kind: 'limited', retryAfterSeconds: 60 });
      expect(await useCases.register.execute(ada, { ip: IP })).to.deep.equal({ kind: 'limited', retryAfterSeconds: 60 });
      // Another address is unaffected.
      expect((await useCases.openDeepLink.execute('ABCD-EFGH-JKMN', { ip: '198.51.100.1' })).kind).to.equal('usable');
    });

    it('throttle() counts one attempt against the address (forms refused at the edge, honeypots, link forms)', async () => {
      const limits = new FakeRateLimiter({ ip: 1 });
      const { useCases } = setup({ limits });
      expect(await useCases.countAttempt.execute({ ip: IP })).to.equal(null);
      expect(await useCases.countAttempt.execute({ ip: IP })).to.deep.equal({ kind: 'limited', retryAfterSeconds: 60 });
    });

    it('the portal switched off answers before counting anything', async () => {
      const limits = new FakeRateLimiter();
      const { useCases } = setup({ limits, configure: (w) => (w.db.state.portalEnabled = false) });
      expect(await useCases.register.execute(ada, { ip: IP })).to.deep.equal(refused('REGISTRATION.UNAVAILABLE'));
      expect(limits.calls).to.deep.equal([]);
    });
  });
});
