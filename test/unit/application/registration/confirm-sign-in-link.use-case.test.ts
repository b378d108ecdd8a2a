/* The sign-in link a known email is sent: confirmed, it enrols through the token once. */
import { expect } from 'chai';
import { NOW, tokenIn, user, type World } from '../../../support/fakes/index.js';
import { topic, ada, setup, secretOf } from './scenarios/form.scenario.js';

describe('application/registration/ConfirmSignInLinkUseCase', () => {
  describe('useSignInLink', () => {
    const grace = user('user-grace', { email: 'grace@example.com', firstName: 'Grace' });

    async function signInMailed(configure: (w: World) => void = () => {}) {
      const s = setup((w) => {
        w.db.state.users.push(grace);
        configure(w);
      });
      await s.useCases.register.execute({ ...ada, email: 'grace@example.com' });
      return { ...s, secret: secretOf(s.db.state.outbox[0]) };
    }

    it('enrols, records the registration with newUser=false and takes a token use; once only', async () => {
      const { world, db, useCases, secret } = await signInMailed();
      world.clock.advance(10 * 60 * 1000);
      const at = world.clock.now();
      expect(await useCases.confirmSignInLink.execute(secret)).to.deep.equal({ ok: true, userId: 'user-grace', redirectTo: '/learn/topic/42' });
      expect(db.state.enrolments).to.deep.equal([{ userId: 'user-grace', item: { type: 'topic', id: '42' } }]);
      expect(db.state.registrations).to.deep.equal([
        { tokenId: 'tok-topic', tokenNickname: 'Spring fair', item: { type: 'topic', id: '42' }, userId: 'user-grace', newUser: false, at, registrant: { email: 'grace@example.com', firstName: 'Grace', lastName: 'Last', type: 'client' } },
      ]);
      expect(tokenIn(db, 'tok-topic').uses).to.equal(1);
      expect(db.state.links[0]!.usedAt).to.deep.equal(at);
      expect(db.state.users).to.deep.equal([grace]);
      expect(db.state.seatsLeft).to.equal(10);

      expect(await useCases.confirmSignInLink.execute(secret)).to.deep.equal({ ok: false, reason: { code: 'LINK.USED' } });
      expect(db.state.registrations).to.have.length(1);
      expect(tokenIn(db, 'tok-topic').uses).to.equal(1);
    });

    it('already enrolled: signs in without taking a use or recording', async () => {
      const { db, useCases, secret } = await signInMailed((w) => w.db.state.enrolments.push({ userId: 'user-grace', item: topic.ref }));
      expect(await useCases.confirmSignInLink.execute(secret)).to.deep.equal({ ok: true, userId: 'user-grace', redirectTo: '/learn/topic/42' });
      expect(tokenIn(db, 'tok-topic').uses).to.equal(0);
      expect(db.state.registrations).to.have.length(0);
      expect(db.state.enrolments).to.have.length(1);
    });

    it('token used up since the mail: still signs in, does not enrol, and says why', async () => {
      const { db, useCases, secret } = await signInMailed();
      db.state.tokens = db.state.tokens.map((t) => (t.id === 'tok-topic' ? { ...t, maxUses: 2, uses: 2 } : t));
      expect(await useCases.confirmSignInLink.execute(secret)).to.deep.equal({
        ok: true, userId: 'user-grace', redirectTo: '/learn/topic/42', notEnrolled: { itemTitle: 'Fire safety', reason: { code: 'TOKEN.USED_UP' } },
      });
      expect(db.state.enrolments).to.have.length(0);
      expect(db.state.registrations).to.have.length(0);
      expect(db.state.links[0]!.usedAt).to.deep.equal(NOW);
    });

    it('disabled or deleted since the mail: signs in and names that state; enrolled already, the closed token does not matter', async () => {
      const disabled = await signInMailed();
      disabled.db.state.tokens = disabled.db.state.tokens.map((t) => ({ ...t, enabled: false }));
      expect((await disabled.useCases.confirmSignInLink.execute(disabled.secret))).to.deep.include({ ok: true, notEnrolled: { itemTitle: 'Fire safety', reason: { code: 'TOKEN.DISABLED' } } });
      const deleted = await signInMailed();
      deleted.db.state.tokens = [];
      expect((await deleted.useCases.confirmSignInLink.execute(deleted.secret))).to.deep.include({ ok: true, notEnrolled: { itemTitle: 'Fire safety', reason: { code: 'TOKEN.NOT_RECOGNISED' } } });
      const enrolled = await signInMailed((w) => w.db.state.enrolments.push({ userId: 'user-grace', item: topic.ref }));
      enrolled.db.state.tokens = enrolled.db.state.tokens.map((t) => ({ ...t, enabled: false }));
      expect(await enrolled.useCases.confirmSignInLink.execute(enrolled.secret)).to.deep.equal({ ok: true, userId: 'user-grace', redirectTo: '/learn/topic/42' });
    });

    it('is refused as LINK.EXPIRED from 30 minutes on', async () => {
      const { world, db, useCases, secret } = await signInMailed();
      world.clock.advance(30 * 60 * 1000);
      expect(await useCases.confirmSignInLink.execute(secret)).to.deep.equal({ ok: false, reason: { code: 'LINK.EXPIRED' } });
      expect(db.state.enrolments).to.have.length(0);
    });

    it('an invitation secret is not a sign-in link: LINK.INVALID', async () => {
      const { db, useCases } = setup();
      await useCases.register.execute(ada);
      expect(await useCases.confirmSignInLink.execute(secretOf(db.state.outbox[0]))).to.deep.equal({ ok: false, reason: { code: 'LINK.INVALID' } });
      expect(db.state.links[0]!.usedAt).to.equal(null);
    });
  });
});
