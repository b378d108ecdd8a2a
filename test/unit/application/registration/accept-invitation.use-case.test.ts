/* The invitation link: a new account sets its password. */
import { expect } from 'chai';
import { NOW, tokenIn, user } from '../../../support/fakes/index.js';
import { HOUR, ada, setup, secretOf } from './scenarios/form.scenario.js';

describe('application/registration/AcceptInvitationUseCase', () => {
  describe('acceptInvitation', () => {
    async function invited() {
      const s = setup();
      await s.useCases.register.execute(ada);
      return { ...s, secret: secretOf(s.db.state.outbox[0]), userId: s.db.state.users[0]!.id };
    }

    it('a password the host refuses: PASSWORD.REJECTED with its message, and the link stays usable', async () => {
      const { db, useCases, secret, userId } = await invited();
      expect(await useCases.acceptInvitation.execute(secret, 'short')).to.deep.equal({
        ok: false,
        reason: { code: 'PASSWORD.REJECTED' },
        message: 'Use at least 12 characters.',
      });
      expect(db.state.links[0]!.usedAt).to.equal(null);
      expect(db.state.passwords).to.deep.equal({});
      expect(db.rollbacks).to.equal(1);
      const again = await useCases.acceptInvitation.execute(secret, 'a much longer password');
      expect(again).to.deep.equal({ ok: true, userId, redirectTo: '/learn/topic/42' });
    });

    it('success sets the password and consumes the link; a second use is LINK.USED', async () => {
      const { db, useCases, secret, userId } = await invited();
      expect(await useCases.acceptInvitation.execute(secret, 'correct horse battery')).to.deep.equal({ ok: true, userId, redirectTo: '/learn/topic/42' });
      expect(db.state.passwords).to.deep.equal({ [userId]: 'correct horse battery' });
      expect(db.state.links[0]!.usedAt).to.deep.equal(NOW);
      // Already enrolled at registration: no second use, enrolment or record.
      expect(tokenIn(db, 'tok-topic').uses).to.equal(1);
      expect(db.state.enrolments).to.have.length(1);
      expect(db.state.registrations).to.have.length(1);

      expect(await useCases.acceptInvitation.execute(secret, 'another long password')).to.deep.equal({ ok: false, reason: { code: 'LINK.USED' } });
      expect(db.state.passwords[userId]).to.equal('correct horse battery');
    });

    it('is refused as LINK.EXPIRED from 72 hours on', async () => {
      const { world, db, useCases, secret } = await invited();
      world.clock.advance(72 * HOUR);
      expect(await useCases.acceptInvitation.execute(secret, 'correct horse battery')).to.deep.equal({ ok: false, reason: { code: 'LINK.EXPIRED' } });
      expect(db.state.links[0]!.usedAt).to.equal(null);
      expect(db.state.passwords).to.deep.equal({});
    });

    it('still works a millisecond before expiry', async () => {
      const { world, useCases, secret, userId } = await invited();
      world.clock.advance(72 * HOUR - 1);
      expect(await useCases.acceptInvitation.execute(secret, 'correct horse battery')).to.deep.equal({ ok: true, userId, redirectTo: '/learn/topic/42' });
    });

    it('a sign-in link is not an invitation: LINK.INVALID, not consumed', async () => {
      const { db, useCases } = setup((w) => w.db.state.users.push(user('user-grace', { email: 'grace@example.com' })));
      await useCases.register.execute({ ...ada, email: 'grace@example.com' });
      const secret = secretOf(db.state.outbox[0]);
      expect(await useCases.acceptInvitation.execute(secret, 'correct horse battery')).to.deep.equal({ ok: false, reason: { code: 'LINK.INVALID' } });
      expect(db.state.links[0]!.usedAt).to.equal(null);
      expect(db.state.passwords).to.deep.equal({});
    });

    it('malformed or unknown secrets: LINK.INVALID (malformed ones never reach storage)', async () => {
      const { world, useCases, secret } = await invited();
      expect(await useCases.acceptInvitation.execute('short', 'correct horse battery')).to.deep.equal({ ok: false, reason: { code: 'LINK.INVALID' } });
      expect(await useCases.acceptInvitation.execute(`${secret}/../x`, 'correct horse battery')).to.deep.equal({ ok: false, reason: { code: 'LINK.INVALID' } });
      expect(world.links.findCalls).to.equal(0);
      expect(await useCases.acceptInvitation.execute('A'.repeat(43), 'correct horse battery')).to.deep.equal({ ok: false, reason: { code: 'LINK.INVALID' } });
      expect(world.links.findCalls).to.equal(1);
    });

    it('the account suspended since: LINK.INVALID, not consumed', async () => {
      const { db, useCases, secret } = await invited();
      db.state.users = db.state.users.map((u) => ({ ...u, status: 'suspended' as const }));
      expect(await useCases.acceptInvitation.execute(secret, 'correct horse battery')).to.deep.equal({ ok: false, reason: { code: 'LINK.INVALID' } });
      expect(db.state.links[0]!.usedAt).to.equal(null);
    });

    it('consumed by a concurrent request in between: LINK.USED', async () => {
      const { world, useCases, secret } = await invited();
      world.links.consume = async () => false;
      expect(await useCases.acceptInvitation.execute(secret, 'correct horse battery')).to.deep.equal({ ok: false, reason: { code: 'LINK.USED' } });
    });

    it("redirects to '/' when the item has gone", async () => {
      const { db, useCases, secret, userId } = await invited();
      db.state.items = db.state.items.filter((i) => i.ref.id !== '42');
      expect(await useCases.acceptInvitation.execute(secret, 'correct horse battery')).to.deep.equal({ ok: true, userId, redirectTo: '/' });
    });
  });
});
