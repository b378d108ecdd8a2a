/*
 * A signed-in visitor on the form: their own email enrols at once; anyone else's is answered as for
 * an anonymous visitor.
 */
import { expect } from 'chai';
import { NOW, tokenIn, user } from '../../../support/fakes/index.js';
import { topic, ada, grace, refused, setup } from './scenarios/visitor.scenario.js';

describe('application/registration/SignedInEnrolment', () => {
  describe('a signed-in visitor on the form', () => {
    it('with their own email: enrolled at once, one use taken, recorded as an existing user; no mail, no seat, type kept', async () => {
      const { world, db, useCases } = setup();
      const outcome = await useCases.register.execute({ ...ada, email: ' GRACE@example.com', firstName: 'Someone' }, { signedIn: grace });
      expect(outcome).to.deep.equal({ kind: 'enrolled', redirectTo: '/learn/topic/42', created: true });
      expect(db.state.enrolments).to.deep.equal([{ userId: 'user-grace', item: { type: 'topic', id: '42' } }]);
      expect(db.state.registrations).to.deep.equal([
        { tokenId: 'tok', tokenNickname: 'Fair', item: { type: 'topic', id: '42' }, userId: 'user-grace', newUser: false, at: NOW, registrant: { email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', type: 'staff' } },
      ]);
      expect(tokenIn(db, 'tok').uses).to.equal(1);
      expect(db.state.outbox).to.deep.equal([]);
      expect(db.state.seatsLeft).to.equal(10);
      expect(world.seats.claimCalls).to.equal(0);
      expect(db.state.users).to.deep.equal([grace]);
    });

    it('with their own email, already enrolled: straight to the item, no use taken', async () => {
      const { db, useCases } = setup({ configure: (w) => w.db.state.enrolments.push({ userId: 'user-grace', item: topic.ref }) });
      expect(await useCases.register.execute({ ...ada, email: 'grace@example.com' }, { signedIn: grace })).to.deep.equal({ kind: 'enrolled', redirectTo: '/learn/topic/42', created: false });
      expect(tokenIn(db, 'tok').uses).to.equal(0);
      expect(db.state.registrations).to.have.length(0);
    });

    it("with someone else's email: answered as for anyone (accepted), and that inbox gets the sign-in link", async () => {
      const other = user('user-other', { email: 'other@example.com' });
      const { db, useCases } = setup({ configure: (w) => w.db.state.users.push(other) });
      expect(await useCases.register.execute({ ...ada, email: 'other@example.com' }, { signedIn: grace })).to.deep.equal({ kind: 'accepted' });
      expect(db.state.outbox.map((m) => [m.to, m.template])).to.deep.equal([['other@example.com', 'sign-in-link']]);
      expect(db.state.enrolments).to.deep.equal([]);
    });

    it('with their own email and a closed token: the token’s reason', async () => {
      const { db, useCases } = setup({ token: { enabled: false } });
      expect(await useCases.register.execute({ ...ada, email: 'grace@example.com' }, { signedIn: grace })).to.deep.equal(refused('TOKEN.DISABLED'));
      expect(db.state.enrolments).to.have.length(0);
    });
  });
});
