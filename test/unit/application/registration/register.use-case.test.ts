/* The registration form, anonymously: a new email, a known one, a suspended one, a pending invitation, a twin submit. */
import { expect } from 'chai';
import type { RegistrantInput } from '../../../../src/application/registration/registration-outcomes.js';
import { NOW, sha256, tokenIn, user } from '../../../support/fakes/index.js';
import { HOUR, ada, accepted, refused, setup, secretOf, written } from './scenarios/form.scenario.js';

describe('application/registration/RegisterUseCase', () => {
  describe('register: a new email', () => {
    it('creates a prospect, takes a seat and a use, enrols, records, and queues one invitation', async () => {
      const { world, db, useCases } = setup();
      const outcome = await useCases.register.execute(ada);
      expect(outcome).to.deep.equal(accepted);

      const [created, ...others] = db.state.users;
      expect(others).to.have.length(0);
      expect(created).to.deep.equal({
        id: created!.id, email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', type: 'prospect', role: null, status: 'active',
      });
      expect(db.state.enrolments).to.deep.equal([{ userId: created!.id, item: { type: 'topic', id: '42' } }]);
      expect(db.state.registrations).to.deep.equal([
        { tokenId: 'tok-topic', tokenNickname: 'Spring fair', item: { type: 'topic', id: '42' }, userId: created!.id, newUser: true, at: NOW, registrant: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', type: 'prospect' } },
      ]);
      expect(tokenIn(db, 'tok-topic').uses).to.equal(1);
      expect(tokenIn(db, 'tok-pathway').uses).to.equal(0);
      expect(db.state.seatsLeft).to.equal(9);
      expect(db.commits).to.equal(1);
      expect(db.rollbacks).to.equal(0);
      expect(world.random.secretCalls).to.deep.equal([32]);
    });

    it('takes no user type, role or status from the input', async () => {
      const { world, db, useCases } = setup();
      const hostile = { ...ada, type: 'staff', role: 'super_admin', status: 'suspended', item: { type: 'pathway', id: '9' } } as RegistrantInput;
      expect(await useCases.register.execute(hostile)).to.deep.equal(accepted);
      expect(world.users.createCalls).to.deep.equal([{ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', type: 'prospect' }]);
      expect(db.state.users[0]).to.include({ type: 'prospect', role: null, status: 'active' });
      expect(db.state.enrolments.map((e) => e.item)).to.deep.equal([{ type: 'topic', id: '42' }]);
    });

    it('with an unlimited subscription, claims a seat and leaves the count unlimited', async () => {
      const { world, db, useCases } = setup((w) => {
        w.db.state.seatsLeft = null;
      });
      expect(await useCases.register.execute(ada)).to.deep.equal(accepted);
      expect(world.seats.claimCalls).to.equal(1);
      expect(db.state.seatsLeft).to.equal(null);
      expect(db.state.users).to.have.length(1);
    });
  });

  describe('register: an existing active email', () => {
    const grace = user('user-grace', { email: 'grace@example.com', firstName: 'Grace', type: 'client' });

    it('gives the same outcome as a new email, creates nothing and mails a sign-in link', async () => {
      const fresh = setup();
      const newOutcome = await fresh.useCases.register.execute({ ...ada, email: 'new@example.com' });
      const { world, db, useCases } = setup((w) => w.db.state.users.push(grace));
      const existingOutcome = await useCases.register.execute({ ...ada, email: ' GRACE@example.com' });

      expect(existingOutcome).to.deep.equal(newOutcome);
      expect(existingOutcome).to.deep.equal(accepted);
      expect(world.users.createCalls).to.have.length(0);
      expect(db.state.users).to.deep.equal([grace]);
      expect(db.state.enrolments).to.have.length(0);
      expect(db.state.registrations).to.have.length(0);
      expect(tokenIn(db, 'tok-topic').uses).to.equal(0);
      expect(db.state.seatsLeft).to.equal(10);
      expect(world.seats.claimCalls).to.equal(0);

      expect(db.state.outbox).to.have.length(1);
      const mail = db.state.outbox[0]!;
      const secret = secretOf(mail);
      expect(mail).to.deep.equal({
        to: 'grace@example.com',
        template: 'sign-in-link',
        data: {
          firstName: 'Grace',
          itemTitle: 'Fire safety',
          itemType: 'topic',
          link: `https://learn.acme.test/self-registration/sign-in/${secret}`,
          expiresAt: new Date(NOW.getTime() + HOUR / 2).toISOString(),
        },
      });
      expect(db.state.links).to.have.length(1);
      expect(db.state.links[0]).to.deep.include({
        userId: 'user-grace', purpose: 'sign_in', item: { type: 'topic', id: '42' }, tokenId: 'tok-topic',
        expiresAt: new Date(NOW.getTime() + HOUR / 2), usedAt: null, revokedAt: null, secretDigest: sha256(secret),
      });
    });

    it('needs no seat: gets a sign-in link when none is left, but sees what a new email sees', async () => {
      const { db, useCases } = setup((w) => {
        w.db.state.users.push(grace);
        w.db.state.seatsLeft = 0;
      });
      expect(await useCases.register.execute({ ...ada, email: 'grace@example.com' })).to.deep.equal(refused('SEATS.EXHAUSTED'));
      expect(await useCases.register.execute({ ...ada, email: 'nobody@example.com' })).to.deep.equal(refused('SEATS.EXHAUSTED'));
      expect(db.state.outbox.map((m) => m.template)).to.deep.equal(['sign-in-link']);
    });
  });

  describe('register: a twin submit', () => {
    it('answers "accepted" when the host refuses the create because the twin created the same email first', async () => {
      const { world, useCases } = setup();
      const twin = { id: 'user-twin', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', type: 'prospect' as const, role: null, status: 'active' as const };
      const findByEmail = world.users.findByEmail.bind(world.users);
      // Inside the transaction the twin is not visible yet; once ours rolled back it is committed.
      world.users.findByEmail = async (email: string, tx?: object) => (tx ? findByEmail(email) : twin);
      world.users.create = async () => {
        throw new Error('duplicate key value violates unique constraint');
      };
      expect(await useCases.register.execute(ada)).to.deep.equal(accepted);
    });

    it('rethrows a failed create when no such user exists afterwards: a real failure is not hidden', async () => {
      const { world, useCases } = setup();
      world.users.create = async () => {
        throw new Error('connection terminated');
      };
      let thrown: unknown = null;
      await useCases.register.execute(ada).catch((e: unknown) => (thrown = e));
      expect(String(thrown)).to.contain('connection terminated');
    });
  });

  describe('register: a suspended email', () => {
    it('is accepted and writes nothing', async () => {
      const suspended = user('user-s', { email: 'ada@example.com', status: 'suspended' });
      const { world, db, useCases } = setup((w) => w.db.state.users.push(suspended));
      const before = written(world);
      expect(await useCases.register.execute(ada)).to.deep.equal(accepted);
      expect(written(world)).to.deep.equal(before);
      expect(db.state.outbox).to.have.length(0);
      expect(world.random.secretCalls).to.have.length(0);
    });
  });

  describe('register: a pending invitation', () => {
    it('sends a fresh invitation and revokes the old one; no second user, seat, use or record', async () => {
      const { world, db, useCases } = setup();
      await useCases.register.execute(ada);
      const first = secretOf(db.state.outbox[0]);
      world.clock.advance(HOUR);

      expect(await useCases.register.execute({ ...ada, email: 'ADA@example.com', firstName: 'Someone' })).to.deep.equal(accepted);
      expect(db.state.users).to.have.length(1);
      expect(db.state.seatsLeft).to.equal(9);
      expect(tokenIn(db, 'tok-topic').uses).to.equal(1);
      expect(db.state.registrations).to.have.length(1);
      expect(db.state.outbox.map((m) => m.template)).to.deep.equal(['invitation', 'invitation']);
      const second = secretOf(db.state.outbox[1]);
      expect(second).not.to.equal(first);
      expect(db.state.outbox[1]!.data['firstName']).to.equal('Ada'); // the account's name, not the form's
      expect(db.state.outbox[1]!.data['expiresAt']).to.equal(new Date(NOW.getTime() + 73 * HOUR).toISOString());
      expect(db.state.links.map((l) => [l.purpose, l.revokedAt])).to.deep.equal([
        ['invitation', new Date(NOW.getTime() + HOUR)],
        ['invitation', null],
      ]);

      expect(await useCases.inspectEmailedLink.execute('invitation', first)).to.deep.equal({ ok: false, reason: { code: 'LINK.INVALID' } });
      expect(await useCases.acceptInvitation.execute(first, 'long enough password')).to.deep.equal({ ok: false, reason: { code: 'LINK.INVALID' } });
      const ok = await useCases.acceptInvitation.execute(second, 'long enough password');
      expect(ok).to.deep.equal({ ok: true, userId: db.state.users[0]!.id, redirectTo: '/learn/topic/42' });
    });

    it("re-sent for another token's item, enrols there on acceptance and takes that token's use", async () => {
      const { db, useCases } = setup();
      await useCases.register.execute(ada);
      await useCases.register.execute({ ...ada, code: 'PQRS-TVWX-YZ12' });
      const userId = db.state.users[0]!.id;
      expect(db.state.links[1]).to.deep.include({ purpose: 'invitation', item: { type: 'pathway', id: '9' }, tokenId: 'tok-pathway' });
      expect(tokenIn(db, 'tok-pathway').uses).to.equal(0);

      const r = await useCases.acceptInvitation.execute(secretOf(db.state.outbox[1]), 'long enough password');
      expect(r).to.deep.equal({ ok: true, userId, redirectTo: '/learn/pathway/9' });
      expect(db.state.enrolments.map((e) => e.item.id)).to.deep.equal(['42', '9']);
      expect(tokenIn(db, 'tok-pathway').uses).to.equal(1);
      expect(db.state.registrations.map((x) => [x.tokenId, x.newUser])).to.deep.equal([
        ['tok-topic', true],
        ['tok-pathway', false],
      ]);
    });
  });
});
