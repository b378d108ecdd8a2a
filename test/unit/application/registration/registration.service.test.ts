import { expect } from 'chai';
import { LINK_PATHS, RegistrationService, type RegistrantInput } from '../../../../src/application/registration/registration.service.js';
import type { OutgoingMail } from '../../../../src/domain/ports/repositories.port.js';
import type { Token } from '../../../../src/domain/tokens/token.js';
import { item, makeWorld, NOW, PORTAL, seedToken, sha256, tokenIn, user, type World } from '../../../support/fakes.js';

const HOUR = 60 * 60 * 1000;
const topic = item('topic', '42', { title: 'Fire safety', learnerUrl: '/learn/topic/42' });
const pathway = item('pathway', '9', { title: 'Onboarding', learnerUrl: '/learn/pathway/9' });
const libraryArticle = item('article', '7', { origin: 'library' });
const TOPIC_CODE = 'ABCDEFGHJKMN'; // shown ABCD-EFGH-JKMN
const PATHWAY_CODE = 'PQRSTVWXYZ12';

const ada: RegistrantInput = { firstName: 'Ada', lastName: 'Lovelace', email: '  Ada@Example.COM ', code: 'abcd efgh jkmn' };
const accepted = { kind: 'accepted' };
const refused = (code: string) => ({ kind: 'refused', reason: { code } });

function setup(configure: (w: World) => void = () => {}) {
  const world = makeWorld();
  world.db.state.items.push(topic, pathway, libraryArticle);
  world.db.state.seatsLeft = 10;
  seedToken(world.db, 'tok-topic', TOPIC_CODE, topic.ref, { nickname: 'Spring fair' });
  seedToken(world.db, 'tok-pathway', PATHWAY_CODE, pathway.ref, { nickname: null });
  configure(world);
  return { world, db: world.db, service: new RegistrationService(world.ports) };
}

/** The secret at the end of an emailed link. */
function secretOf(mail: OutgoingMail | undefined): string {
  if (!mail) throw new Error('no mail');
  const link = String(mail.data['link']);
  return link.slice(link.lastIndexOf('/') + 1);
}

/** Everything a registration may write. */
const written = (w: World) => {
  const { users, enrolments, registrations, links, outbox, passwords, seatsLeft, tokens } = w.db.state;
  return structuredClone({ users, enrolments, registrations, links, outbox, passwords, seatsLeft, tokens });
};

describe('application/RegistrationService', () => {
  describe('register: a new email', () => {
    it('creates a prospect, takes a seat and a use, enrols, records, and queues one invitation', async () => {
      const { world, db, service } = setup();
      const outcome = await service.register(ada);
      expect(outcome).to.deep.equal(accepted);

      const [created, ...others] = db.state.users;
      expect(others).to.have.length(0);
      expect(created).to.deep.equal({
        id: created!.id, email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', type: 'prospect', role: null, status: 'active',
      });
      expect(db.state.enrolments).to.deep.equal([{ userId: created!.id, item: { type: 'topic', id: '42' } }]);
      expect(db.state.registrations).to.deep.equal([
        { tokenId: 'tok-topic', tokenNickname: 'Spring fair', item: { type: 'topic', id: '42' }, userId: created!.id, newUser: true, at: NOW },
      ]);
      expect(tokenIn(db, 'tok-topic').uses).to.equal(1);
      expect(tokenIn(db, 'tok-pathway').uses).to.equal(0);
      expect(db.state.seatsLeft).to.equal(9);
      expect(db.commits).to.equal(1);
      expect(db.rollbacks).to.equal(0);
      expect(world.random.secretCalls).to.deep.equal([32]);
    });

    it('issues an invitation link that stores only the digest of the secret mailed', async () => {
      const { db, service } = setup();
      await service.register(ada);
      const userId = db.state.users[0]!.id;
      expect(db.state.outbox).to.have.length(1);
      const mail = db.state.outbox[0]!;
      const secret = secretOf(mail);
      expect(secret).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect(mail).to.deep.equal({
        to: 'ada@example.com',
        template: 'invitation',
        data: {
          firstName: 'Ada',
          itemTitle: 'Fire safety',
          itemType: 'topic',
          link: `https://learn.acme.test/self-registration/invitation/${secret}`,
          expiresAt: new Date(NOW.getTime() + 72 * HOUR).toISOString(),
        },
      });
      expect(String(mail.data['link']).startsWith(`${PORTAL.publicBaseUrl}/`)).to.equal(true);

      expect(db.state.links).to.have.length(1);
      const link = db.state.links[0]!;
      expect(link).to.deep.include({
        userId, purpose: 'invitation', item: { type: 'topic', id: '42' }, tokenId: 'tok-topic',
        expiresAt: new Date(NOW.getTime() + 72 * HOUR), usedAt: null, revokedAt: null,
      });
      expect(link.secretDigest).to.equal(sha256(secret));
      expect(JSON.stringify(db.state.links)).not.to.include(secret); // storage holds the digest only
    });

    it('takes no user type, role or status from the input', async () => {
      const { world, db, service } = setup();
      const hostile = { ...ada, type: 'staff', role: 'super_admin', status: 'suspended', item: { type: 'pathway', id: '9' } } as RegistrantInput;
      expect(await service.register(hostile)).to.deep.equal(accepted);
      expect(world.users.createCalls).to.deep.equal([{ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', type: 'prospect' }]);
      expect(db.state.users[0]).to.include({ type: 'prospect', role: null, status: 'active' });
      expect(db.state.enrolments.map((e) => e.item)).to.deep.equal([{ type: 'topic', id: '42' }]);
    });

    it("builds the link from the portal's public base URL, keeping its path", async () => {
      const { world, db, service } = setup((w) => {
        w.portal.portal = { ...w.portal.portal, publicBaseUrl: 'https://example.org/academy' };
      });
      await service.register(ada);
      const link = String(db.state.outbox[0]!.data['link']);
      expect(world.portal.portal.publicBaseUrl).to.equal('https://example.org/academy');
      expect(link).to.equal(`https://example.org/academy${LINK_PATHS.invitation}${secretOf(db.state.outbox[0])}`);
    });

    it('with an unlimited subscription, claims a seat and leaves the count unlimited', async () => {
      const { world, db, service } = setup((w) => {
        w.db.state.seatsLeft = null;
      });
      expect(await service.register(ada)).to.deep.equal(accepted);
      expect(world.seats.claimCalls).to.equal(1);
      expect(db.state.seatsLeft).to.equal(null);
      expect(db.state.users).to.have.length(1);
    });
  });

  describe('register: an existing active email', () => {
    const grace = user('user-grace', { email: 'grace@example.com', firstName: 'Grace', type: 'client' });

    it('gives the same outcome as a new email, creates nothing and mails a sign-in link', async () => {
      const fresh = setup();
      const newOutcome = await fresh.service.register({ ...ada, email: 'new@example.com' });
      const { world, db, service } = setup((w) => w.db.state.users.push(grace));
      const existingOutcome = await service.register({ ...ada, email: ' GRACE@example.com' });

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
      const { db, service } = setup((w) => {
        w.db.state.users.push(grace);
        w.db.state.seatsLeft = 0;
      });
      expect(await service.register({ ...ada, email: 'grace@example.com' })).to.deep.equal(refused('SEATS.EXHAUSTED'));
      expect(await service.register({ ...ada, email: 'nobody@example.com' })).to.deep.equal(refused('SEATS.EXHAUSTED'));
      expect(db.state.outbox.map((m) => m.template)).to.deep.equal(['sign-in-link']);
    });
  });

  describe('register: a twin submit', () => {
    it('answers "accepted" when the host refuses the create because the twin created the same email first', async () => {
      const { world, service } = setup();
      const twin = { id: 'user-twin', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', type: 'prospect' as const, role: null, status: 'active' as const };
      const findByEmail = world.users.findByEmail.bind(world.users);
      // Inside the transaction the twin is not visible yet; once ours rolled back it is committed.
      world.users.findByEmail = async (email: string, tx?: object) => (tx ? findByEmail(email) : twin);
      world.users.create = async () => {
        throw new Error('duplicate key value violates unique constraint');
      };
      expect(await service.register(ada)).to.deep.equal(accepted);
    });

    it('rethrows a failed create when no such user exists afterwards: a real failure is not hidden', async () => {
      const { world, service } = setup();
      world.users.create = async () => {
        throw new Error('connection terminated');
      };
      let thrown: unknown = null;
      await service.register(ada).catch((e: unknown) => (thrown = e));
      expect(String(thrown)).to.contain('connection terminated');
    });
  });

  describe('register: a suspended email', () => {
    it('is accepted and writes nothing', async () => {
      const suspended = user('user-s', { email: 'ada@example.com', status: 'suspended' });
      const { world, db, service } = setup((w) => w.db.state.users.push(suspended));
      const before = written(world);
      expect(await service.register(ada)).to.deep.equal(accepted);
      expect(written(world)).to.deep.equal(before);
      expect(db.state.outbox).to.have.length(0);
      expect(world.random.secretCalls).to.have.length(0);
    });
  });

  describe('register: a pending invitation', () => {
    it('sends a fresh invitation and revokes the old one; no second user, seat, use or record', async () => {
      const { world, db, service } = setup();
      await service.register(ada);
      const first = secretOf(db.state.outbox[0]);
      world.clock.advance(HOUR);

      expect(await service.register({ ...ada, email: 'ADA@example.com', firstName: 'Someone' })).to.deep.equal(accepted);
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

      expect(await service.inspectLink('invitation', first)).to.deep.equal({ ok: false, reason: { code: 'LINK.INVALID' } });
      expect(await service.acceptInvitation(first, 'long enough password')).to.deep.equal({ ok: false, reason: { code: 'LINK.INVALID' } });
      const ok = await service.acceptInvitation(second, 'long enough password');
      expect(ok).to.deep.equal({ ok: true, userId: db.state.users[0]!.id, redirectTo: '/learn/topic/42' });
    });

    it("re-sent for another token's item, enrols there on acceptance and takes that token's use", async () => {
      const { db, service } = setup();
      await service.register(ada);
      await service.register({ ...ada, code: 'PQRS-TVWX-YZ12' });
      const userId = db.state.users[0]!.id;
      expect(db.state.links[1]).to.deep.include({ purpose: 'invitation', item: { type: 'pathway', id: '9' }, tokenId: 'tok-pathway' });
      expect(tokenIn(db, 'tok-pathway').uses).to.equal(0);

      const r = await service.acceptInvitation(secretOf(db.state.outbox[1]), 'long enough password');
      expect(r).to.deep.equal({ ok: true, userId, redirectTo: '/learn/pathway/9' });
      expect(db.state.enrolments.map((e) => e.item.id)).to.deep.equal(['42', '9']);
      expect(tokenIn(db, 'tok-pathway').uses).to.equal(1);
      expect(db.state.registrations.map((x) => [x.tokenId, x.newUser])).to.deep.equal([
        ['tok-topic', true],
        ['tok-pathway', false],
      ]);
    });
  });

  describe('register: refusals', () => {
    it('portal switched off: REGISTRATION.UNAVAILABLE, nothing written', async () => {
      const { world, service } = setup((w) => {
        w.db.state.portalEnabled = false;
      });
      const before = written(world);
      expect(await service.register(ada)).to.deep.equal(refused('REGISTRATION.UNAVAILABLE'));
      expect(written(world)).to.deep.equal(before);
    });

    it('unknown code: TOKEN.NOT_RECOGNISED', async () => {
      const { world, service } = setup();
      const before = written(world);
      expect(await service.register({ ...ada, code: 'ZZZZ-ZZZZ-ZZZZ' })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
      expect(written(world)).to.deep.equal(before);
    });

    it('garbage code: TOKEN.NOT_RECOGNISED, same as unknown', async () => {
      const { service } = setup();
      expect(await service.register({ ...ada, code: "<script>' OR 1=1" })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
      expect(await service.register({ ...ada, code: 'ABC' })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
    });

    it('disabled, expired and used-up tokens: the specific reason, for new and existing emails alike', async () => {
      const cases: [Partial<Token>, string][] = [
        [{ enabled: false }, 'TOKEN.DISABLED'],
        [{ expiresAt: NOW }, 'TOKEN.EXPIRED'],
        [{ maxUses: 3, uses: 3 }, 'TOKEN.USED_UP'],
      ];
      for (const [state, code] of cases) {
        const { world, service } = setup((w) => {
          w.db.state.tokens = w.db.state.tokens.map((t) => (t.id === 'tok-topic' ? { ...t, ...state } : t));
          w.db.state.users.push(user('user-grace', { email: 'grace@example.com' }));
        });
        const before = written(world);
        expect(await service.register(ada), code).to.deep.equal(refused(code));
        expect(await service.register({ ...ada, email: 'grace@example.com' }), code).to.deep.equal(refused(code));
        expect(written(world)).to.deep.equal(before);
      }
    });

    it("token on library content or on an item that has gone: TOKEN.NOT_RECOGNISED", async () => {
      const { service } = setup((w) => {
        seedToken(w.db, 'tok-lib', 'L1BRARY00000', libraryArticle.ref);
        seedToken(w.db, 'tok-gone', 'G0NE00000000', { type: 'topic', id: 'deleted' });
      });
      expect(await service.register({ ...ada, code: 'library00000' })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
      expect(await service.register({ ...ada, code: 'gone-0000-0000' })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
    });

    it('no seat left for a new email: SEATS.EXHAUSTED, no use claimed, nothing written', async () => {
      const { world, db, service } = setup((w) => {
        w.db.state.seatsLeft = 0;
      });
      const before = written(world);
      expect(await service.register(ada)).to.deep.equal(refused('SEATS.EXHAUSTED'));
      // A new email asks for no seat count: the atomic claim decides, and its refusal rolls everything back.
      expect(world.seats.claimCalls).to.equal(1);
      expect(world.tokens.claimCalls).to.equal(0);
      expect(db.rollbacks).to.equal(1);
      expect(written(world)).to.deep.equal(before);
    });
  });

  describe('register: races, rolled back', () => {
    it('last use taken by someone else: TOKEN.USED_UP, and the user, seat, enrolment, record and mail made before rolled back', async () => {
      const { world, db, service } = setup((w) => {
        w.db.state.tokens = w.db.state.tokens.map((t) => (t.id === 'tok-topic' ? { ...t, maxUses: 1 } : t));
        w.tokens.beforeClaim = () => {
          const s = w.db.state;
          s.tokens = s.tokens.map((t) => (t.id === 'tok-topic' ? { ...t, uses: 1 } : t));
        };
      });
      const before = written(world);
      expect(await service.register(ada)).to.deep.equal(refused('TOKEN.USED_UP'));
      expect(world.tokens.claimCalls).to.equal(1);
      expect(db.rollbacks).to.equal(1);
      expect(db.commits).to.equal(0);
      expect(written(world)).to.deep.equal(before);
      // The use is claimed last, so that the token's row stays locked as briefly as possible.
      expect(world.seats.claimCalls).to.equal(1);
      expect(world.users.createCalls).to.have.length(1);
    });

    it('token disabled or deleted meanwhile: its state now, or TOKEN.NOT_RECOGNISED', async () => {
      const disabled = setup((w) => {
        w.tokens.beforeClaim = () => {
          w.db.state.tokens = w.db.state.tokens.map((t) => ({ ...t, enabled: false }));
        };
      });
      expect(await disabled.service.register(ada)).to.deep.equal(refused('TOKEN.DISABLED'));
      const deleted = setup((w) => {
        w.tokens.beforeClaim = () => {
          w.db.state.tokens = [];
        };
      });
      expect(await deleted.service.register(ada)).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
      expect(deleted.db.state.users).to.have.length(0);
    });

    it('seat claim lost: SEATS.EXHAUSTED, no use taken, nothing written', async () => {
      const { world, db, service } = setup((w) => {
        w.seats.claimResult = false;
      });
      const before = written(world);
      expect(await service.register(ada)).to.deep.equal(refused('SEATS.EXHAUSTED'));
      expect(world.tokens.claimCalls).to.equal(0);
      expect(tokenIn(db, 'tok-topic').uses).to.equal(0);
      expect(db.rollbacks).to.equal(1);
      expect(written(world)).to.deep.equal(before);
      expect(world.users.createCalls).to.have.length(0);
    });

    it('a twin submit that committed first: accepted, and this one rolled back', async () => {
      const { world, db, service } = setup();
      const claim = world.seats.claim.bind(world.seats);
      world.seats.claim = async (tx) => {
        const won = await claim(tx);
        db.state.users.push(user('user-twin', { email: 'ada@example.com', type: 'prospect' }));
        return won;
      };
      expect(await service.register(ada)).to.deep.equal(accepted);
      expect(world.users.createCalls).to.have.length(0);
      expect(db.rollbacks).to.equal(1);
      expect(db.state.outbox).to.have.length(0);
      expect(tokenIn(db, 'tok-topic').uses).to.equal(0);
    });

    it('an unexpected error rolls back and is rethrown', async () => {
      const { world, db, service } = setup();
      world.enrolments.enrol = async () => {
        throw new Error('host down');
      };
      let thrown: unknown;
      try {
        await service.register(ada);
      } catch (e) {
        thrown = e;
      }
      expect((thrown as Error).message).to.equal('host down');
      expect(db.state.users).to.have.length(0);
      expect(tokenIn(db, 'tok-topic').uses).to.equal(0);
      expect(db.state.seatsLeft).to.equal(10);
    });
  });

  describe('acceptInvitation', () => {
    async function invited() {
      const s = setup();
      await s.service.register(ada);
      return { ...s, secret: secretOf(s.db.state.outbox[0]), userId: s.db.state.users[0]!.id };
    }

    it('a password the host refuses: PASSWORD.REJECTED with its message, and the link stays usable', async () => {
      const { db, service, secret, userId } = await invited();
      expect(await service.acceptInvitation(secret, 'short')).to.deep.equal({
        ok: false,
        reason: { code: 'PASSWORD.REJECTED' },
        message: 'Use at least 12 characters.',
      });
      expect(db.state.links[0]!.usedAt).to.equal(null);
      expect(db.state.passwords).to.deep.equal({});
      expect(db.rollbacks).to.equal(1);
      const again = await service.acceptInvitation(secret, 'a much longer password');
      expect(again).to.deep.equal({ ok: true, userId, redirectTo: '/learn/topic/42' });
    });

    it('success sets the password and consumes the link; a second use is LINK.USED', async () => {
      const { db, service, secret, userId } = await invited();
      expect(await service.acceptInvitation(secret, 'correct horse battery')).to.deep.equal({ ok: true, userId, redirectTo: '/learn/topic/42' });
      expect(db.state.passwords).to.deep.equal({ [userId]: 'correct horse battery' });
      expect(db.state.links[0]!.usedAt).to.deep.equal(NOW);
      // Already enrolled at registration: no second use, enrolment or record.
      expect(tokenIn(db, 'tok-topic').uses).to.equal(1);
      expect(db.state.enrolments).to.have.length(1);
      expect(db.state.registrations).to.have.length(1);

      expect(await service.acceptInvitation(secret, 'another long password')).to.deep.equal({ ok: false, reason: { code: 'LINK.USED' } });
      expect(db.state.passwords[userId]).to.equal('correct horse battery');
    });

    it('is refused as LINK.EXPIRED from 72 hours on', async () => {
      const { world, db, service, secret } = await invited();
      world.clock.advance(72 * HOUR);
      expect(await service.acceptInvitation(secret, 'correct horse battery')).to.deep.equal({ ok: false, reason: { code: 'LINK.EXPIRED' } });
      expect(db.state.links[0]!.usedAt).to.equal(null);
      expect(db.state.passwords).to.deep.equal({});
    });

    it('still works a millisecond before expiry', async () => {
      const { world, service, secret, userId } = await invited();
      world.clock.advance(72 * HOUR - 1);
      expect(await service.acceptInvitation(secret, 'correct horse battery')).to.deep.equal({ ok: true, userId, redirectTo: '/learn/topic/42' });
    });

    it('a sign-in link is not an invitation: LINK.INVALID, not consumed', async () => {
      const { db, service } = setup((w) => w.db.state.users.push(user('user-grace', { email: 'grace@example.com' })));
      await service.register({ ...ada, email: 'grace@example.com' });
      const secret = secretOf(db.state.outbox[0]);
      expect(await service.acceptInvitation(secret, 'correct horse battery')).to.deep.equal({ ok: false, reason: { code: 'LINK.INVALID' } });
      expect(db.state.links[0]!.usedAt).to.equal(null);
      expect(db.state.passwords).to.deep.equal({});
    });

    it('malformed or unknown secrets: LINK.INVALID (malformed ones never reach storage)', async () => {
      const { world, service, secret } = await invited();
      expect(await service.acceptInvitation('short', 'correct horse battery')).to.deep.equal({ ok: false, reason: { code: 'LINK.INVALID' } });
      expect(await service.acceptInvitation(`${secret}/../x`, 'correct horse battery')).to.deep.equal({ ok: false, reason: { code: 'LINK.INVALID' } });
      expect(world.links.findCalls).to.equal(0);
      expect(await service.acceptInvitation('A'.repeat(43), 'correct horse battery')).to.deep.equal({ ok: false, reason: { code: 'LINK.INVALID' } });
      expect(world.links.findCalls).to.equal(1);
    });

    it('the account suspended since: LINK.INVALID, not consumed', async () => {
      const { db, service, secret } = await invited();
      db.state.users = db.state.users.map((u) => ({ ...u, status: 'suspended' as const }));
      expect(await service.acceptInvitation(secret, 'correct horse battery')).to.deep.equal({ ok: false, reason: { code: 'LINK.INVALID' } });
      expect(db.state.links[0]!.usedAt).to.equal(null);
    });

    it('consumed by a concurrent request in between: LINK.USED', async () => {
      const { world, service, secret } = await invited();
      world.links.consume = async () => false;
      expect(await service.acceptInvitation(secret, 'correct horse battery')).to.deep.equal({ ok: false, reason: { code: 'LINK.USED' } });
    });

    it("redirects to '/' when the item has gone", async () => {
      const { db, service, secret, userId } = await invited();
      db.state.items = db.state.items.filter((i) => i.ref.id !== '42');
      expect(await service.acceptInvitation(secret, 'correct horse battery')).to.deep.equal({ ok: true, userId, redirectTo: '/' });
    });
  });

  describe('useSignInLink', () => {
    const grace = user('user-grace', { email: 'grace@example.com', firstName: 'Grace' });

    async function signInMailed(configure: (w: World) => void = () => {}) {
      const s = setup((w) => {
        w.db.state.users.push(grace);
        configure(w);
      });
      await s.service.register({ ...ada, email: 'grace@example.com' });
      return { ...s, secret: secretOf(s.db.state.outbox[0]) };
    }

    it('enrols, records the registration with newUser=false and takes a token use; once only', async () => {
      const { world, db, service, secret } = await signInMailed();
      world.clock.advance(10 * 60 * 1000);
      const at = world.clock.now();
      expect(await service.useSignInLink(secret)).to.deep.equal({ ok: true, userId: 'user-grace', redirectTo: '/learn/topic/42' });
      expect(db.state.enrolments).to.deep.equal([{ userId: 'user-grace', item: { type: 'topic', id: '42' } }]);
      expect(db.state.registrations).to.deep.equal([
        { tokenId: 'tok-topic', tokenNickname: 'Spring fair', item: { type: 'topic', id: '42' }, userId: 'user-grace', newUser: false, at },
      ]);
      expect(tokenIn(db, 'tok-topic').uses).to.equal(1);
      expect(db.state.links[0]!.usedAt).to.deep.equal(at);
      expect(db.state.users).to.deep.equal([grace]);
      expect(db.state.seatsLeft).to.equal(10);

      expect(await service.useSignInLink(secret)).to.deep.equal({ ok: false, reason: { code: 'LINK.USED' } });
      expect(db.state.registrations).to.have.length(1);
      expect(tokenIn(db, 'tok-topic').uses).to.equal(1);
    });

    it('already enrolled: signs in without taking a use or recording', async () => {
      const { db, service, secret } = await signInMailed((w) => w.db.state.enrolments.push({ userId: 'user-grace', item: topic.ref }));
      expect(await service.useSignInLink(secret)).to.deep.equal({ ok: true, userId: 'user-grace', redirectTo: '/learn/topic/42' });
      expect(tokenIn(db, 'tok-topic').uses).to.equal(0);
      expect(db.state.registrations).to.have.length(0);
      expect(db.state.enrolments).to.have.length(1);
    });

    it('token used up since the mail: still signs in, but does not enrol', async () => {
      const { db, service, secret } = await signInMailed();
      db.state.tokens = db.state.tokens.map((t) => (t.id === 'tok-topic' ? { ...t, maxUses: 2, uses: 2 } : t));
      expect(await service.useSignInLink(secret)).to.deep.equal({ ok: true, userId: 'user-grace', redirectTo: '/learn/topic/42' });
      expect(db.state.enrolments).to.have.length(0);
      expect(db.state.registrations).to.have.length(0);
      expect(db.state.links[0]!.usedAt).to.deep.equal(NOW);
    });

    it('is refused as LINK.EXPIRED from 30 minutes on', async () => {
      const { world, db, service, secret } = await signInMailed();
      world.clock.advance(30 * 60 * 1000);
      expect(await service.useSignInLink(secret)).to.deep.equal({ ok: false, reason: { code: 'LINK.EXPIRED' } });
      expect(db.state.enrolments).to.have.length(0);
    });

    it('an invitation secret is not a sign-in link: LINK.INVALID', async () => {
      const { db, service } = setup();
      await service.register(ada);
      expect(await service.useSignInLink(secretOf(db.state.outbox[0]))).to.deep.equal({ ok: false, reason: { code: 'LINK.INVALID' } });
      expect(db.state.links[0]!.usedAt).to.equal(null);
    });
  });

  describe('inspectLink', () => {
    it('describes a live link without consuming it, however often it is opened', async () => {
      const grace = user('user-grace', { email: 'grace@example.com' });
      const { world, db, service } = setup((w) => w.db.state.users.push(grace));
      await service.register({ ...ada, email: 'grace@example.com' });
      const secret = secretOf(db.state.outbox[0]);
      const runs = db.commits + db.rollbacks;
      for (let i = 0; i < 3; i++) {
        expect(await service.inspectLink('sign_in', secret)).to.deep.equal({ ok: true, purpose: 'sign_in', user: grace, item: topic });
      }
      expect(db.state.links[0]!.usedAt).to.equal(null);
      expect(db.commits + db.rollbacks).to.equal(runs);
      expect(world.tokens.claimCalls).to.equal(0);
      expect((await service.useSignInLink(secret)).ok).to.equal(true);
      expect(await service.inspectLink('sign_in', secret)).to.deep.equal({ ok: false, reason: { code: 'LINK.USED' } });
    });

    it('refuses the wrong purpose, an expired link and a suspended user', async () => {
      const { world, db, service } = setup();
      await service.register(ada);
      const secret = secretOf(db.state.outbox[0]);
      expect(await service.inspectLink('sign_in', secret)).to.deep.equal({ ok: false, reason: { code: 'LINK.INVALID' } });
      db.state.users = db.state.users.map((u) => ({ ...u, status: 'suspended' as const }));
      expect(await service.inspectLink('invitation', secret)).to.deep.equal({ ok: false, reason: { code: 'LINK.INVALID' } });
      world.clock.advance(72 * HOUR);
      expect(await service.inspectLink('invitation', secret)).to.deep.equal({ ok: false, reason: { code: 'LINK.EXPIRED' } });
    });

    it('gives item null when the item has gone', async () => {
      const { db, service } = setup();
      await service.register(ada);
      db.state.items = [];
      const r = await service.inspectLink('invitation', secretOf(db.state.outbox[0]));
      expect(r.ok && r.item).to.equal(null);
    });
  });

  describe('preview', () => {
    it('shows a usable code in display form with its item, and consumes nothing', async () => {
      const { world, db, service } = setup();
      const before = written(world);
      expect(await service.preview('abcd efgh jkmn')).to.deep.equal({ kind: 'usable', code: 'ABCD-EFGH-JKMN', item: topic });
      expect(written(world)).to.deep.equal(before);
      expect(db.commits + db.rollbacks).to.equal(0);
    });

    it('refuses like register does', async () => {
      const { db, service } = setup((w) => seedToken(w.db, 'tok-lib', 'L1BRARY00000', libraryArticle.ref));
      expect(await service.preview('nope-nope-nope')).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
      expect(await service.preview('!!')).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
      expect(await service.preview('LIBRARY00000')).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
      db.state.tokens = db.state.tokens.map((t) => ({ ...t, enabled: false }));
      expect(await service.preview('abcd efgh jkmn')).to.deep.equal(refused('TOKEN.DISABLED'));
      db.state.portalEnabled = false;
      expect(await service.preview('abcd efgh jkmn')).to.deep.equal(refused('REGISTRATION.UNAVAILABLE'));
    });
  });
});
