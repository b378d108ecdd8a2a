/*
 * RegistrationService beyond the anonymous form: abuse limits, signed-in visitors (their own email
 * enrols at once; anyone else's is answered as for an anonymous visitor), the one-click page, the
 * seat-limit alert, and the read caches of the public pages.
 */
import { expect } from 'chai';
import { RegistrationService, type RegistrantInput } from '../../../../src/application/registration/registration.service.js';
import { ChangeSignal } from '../../../../src/application/shared/read-cache.js';
import type { Token } from '../../../../src/domain/tokens/token.js';
import {
  FakeRateLimiter, FakeSeatAlerts, item, makeWorld, NOW, seedToken, tokenIn, user, type World,
} from '../../../support/fakes.js';

const topic = item('topic', '42', { title: 'Fire safety', learnerUrl: '/learn/topic/42' });
const CODE = 'ABCDEFGHJKMN';
const ada: RegistrantInput = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', code: 'ABCD-EFGH-JKMN' };
const grace = user('user-grace', { email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', type: 'staff' });
const refused = (code: string) => ({ kind: 'refused', reason: { code } });
const IP = '203.0.113.7';

function setup(opts: { limits?: FakeRateLimiter; alerts?: FakeSeatAlerts; cacheMs?: number; token?: Partial<Token>; configure?: (w: World) => void; pauses?: number[] } = {}) {
  const world = makeWorld();
  world.db.state.items.push(topic);
  world.db.state.seatsLeft = 10;
  world.db.state.users.push(grace);
  seedToken(world.db, 'tok', CODE, topic.ref, { nickname: 'Fair', ...opts.token });
  opts.configure?.(world);
  let millis = 1_000_000;
  const signal = new ChangeSignal();
  const service = new RegistrationService({
    ...world.ports,
    ...(opts.limits && { limits: opts.limits }),
    ...(opts.alerts && { seatAlerts: opts.alerts }),
    signal,
    cacheMs: opts.cacheMs ?? 0,
    millis: () => millis,
    pause: async (ms) => {
      opts.pauses?.push(ms);
      millis += ms;
    },
  });
  return { world, db: world.db, service, signal, tick: (ms: number) => (millis += ms) };
}

const written = (w: World) => {
  const { users, enrolments, registrations, links, outbox, seatsLeft, tokens } = w.db.state;
  return structuredClone({ users, enrolments, registrations, links, outbox, seatsLeft, tokens });
};

describe('application/RegistrationService: limits, signed-in visitors, one-click, alerts, caches', () => {
  describe('abuse limits', () => {
    it('a registration counts against the address, the email and the token, after checking the address has guesses left', async () => {
      const limits = new FakeRateLimiter();
      const { service } = setup({ limits });
      expect(await service.register(ada, { ip: IP })).to.deep.equal({ kind: 'accepted' });
      expect(limits.calls).to.deep.equal([`consume ip ${IP}`, `peek unknownCode ${IP}`, 'consume email ada@example.com', 'consume token tok']);
    });

    it('over any limit: limited with the wait, and nothing written', async () => {
      for (const kind of ['ip', 'email', 'token', 'unknownCode'] as const) {
        const limits = new FakeRateLimiter();
        limits.deny[kind] = 90;
        const { world, service } = setup({ limits });
        const before = written(world);
        expect(await service.register(ada, { ip: IP }), kind).to.deep.equal({ kind: 'limited', retryAfterSeconds: 90 });
        expect(written(world), kind).to.deep.equal(before);
      }
    });

    it('an unknown code counts as a guess; once the guesses are used up, even a valid code is answered "limited"', async () => {
      const limits = new FakeRateLimiter({ unknownCode: 2 });
      const { service } = setup({ limits });
      expect(await service.register({ ...ada, code: 'ZZZZ-ZZZZ-ZZZZ' }, { ip: IP })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
      expect(await service.preview('YYYY-YYYY-YYYY', { ip: IP })).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
      expect(limits.counts.get(`unknownCode:${IP}`)).to.equal(2);
      expect(await service.preview('ABCD-EFGH-JKMN', { ip: IP })).to.deep.equal({ kind: 'limited', retryAfterSeconds: 60 });
      expect(await service.register(ada, { ip: IP })).to.deep.equal({ kind: 'limited', retryAfterSeconds: 60 });
      // Another address is unaffected.
      expect((await service.preview('ABCD-EFGH-JKMN', { ip: '198.51.100.1' })).kind).to.equal('usable');
    });

    it('throttle() counts one attempt against the address (forms refused at the edge, honeypots, link forms)', async () => {
      const limits = new FakeRateLimiter({ ip: 1 });
      const { service } = setup({ limits });
      expect(await service.throttle({ ip: IP })).to.equal(null);
      expect(await service.throttle({ ip: IP })).to.deep.equal({ kind: 'limited', retryAfterSeconds: 60 });
    });

    it('the portal switched off answers before counting anything', async () => {
      const limits = new FakeRateLimiter();
      const { service } = setup({ limits, configure: (w) => (w.db.state.portalEnabled = false) });
      expect(await service.register(ada, { ip: IP })).to.deep.equal(refused('REGISTRATION.UNAVAILABLE'));
      expect(limits.calls).to.deep.equal([]);
    });
  });

  describe('a signed-in visitor on the form', () => {
    it('with their own email: enrolled at once, one use taken, recorded as an existing user; no mail, no seat, type kept', async () => {
      const { world, db, service } = setup();
      const outcome = await service.register({ ...ada, email: ' GRACE@example.com', firstName: 'Someone' }, { signedIn: grace });
      expect(outcome).to.deep.equal({ kind: 'enrolled', redirectTo: '/learn/topic/42', created: true });
      expect(db.state.enrolments).to.deep.equal([{ userId: 'user-grace', item: { type: 'topic', id: '42' } }]);
      expect(db.state.registrations).to.deep.equal([
        { tokenId: 'tok', tokenNickname: 'Fair', item: { type: 'topic', id: '42' }, userId: 'user-grace', newUser: false, at: NOW },
      ]);
      expect(tokenIn(db, 'tok').uses).to.equal(1);
      expect(db.state.outbox).to.deep.equal([]);
      expect(db.state.seatsLeft).to.equal(10);
      expect(world.seats.claimCalls).to.equal(0);
      expect(db.state.users).to.deep.equal([grace]);
    });

    it('with their own email, already enrolled: straight to the item, no use taken', async () => {
      const { db, service } = setup({ configure: (w) => w.db.state.enrolments.push({ userId: 'user-grace', item: topic.ref }) });
      expect(await service.register({ ...ada, email: 'grace@example.com' }, { signedIn: grace })).to.deep.equal({ kind: 'enrolled', redirectTo: '/learn/topic/42', created: false });
      expect(tokenIn(db, 'tok').uses).to.equal(0);
      expect(db.state.registrations).to.have.length(0);
    });

    it("with someone else's email: answered as for anyone (accepted), and that inbox gets the sign-in link", async () => {
      const other = user('user-other', { email: 'other@example.com' });
      const { db, service } = setup({ configure: (w) => w.db.state.users.push(other) });
      expect(await service.register({ ...ada, email: 'other@example.com' }, { signedIn: grace })).to.deep.equal({ kind: 'accepted' });
      expect(db.state.outbox.map((m) => [m.to, m.template])).to.deep.equal([['other@example.com', 'sign-in-link']]);
      expect(db.state.enrolments).to.deep.equal([]);
    });

    it('with their own email and a closed token: the token’s reason', async () => {
      const { db, service } = setup({ token: { enabled: false } });
      expect(await service.register({ ...ada, email: 'grace@example.com' }, { signedIn: grace })).to.deep.equal(refused('TOKEN.DISABLED'));
      expect(db.state.enrolments).to.have.length(0);
    });
  });

  describe('the one-click page (enrol, previewFor)', () => {
    it('enrols with one use; a second click finds them enrolled and takes nothing', async () => {
      const { db, service } = setup();
      expect(await service.previewFor(grace, 'abcd-efgh-jkmn')).to.deep.equal({ kind: 'usable', code: 'ABCD-EFGH-JKMN', item: topic, enrolled: false });
      expect(await service.enrol(grace, 'abcd efgh jkmn')).to.deep.equal({ kind: 'enrolled', redirectTo: '/learn/topic/42', created: true });
      expect(await service.enrol(grace, 'ABCD-EFGH-JKMN')).to.deep.equal({ kind: 'enrolled', redirectTo: '/learn/topic/42', created: false });
      expect(tokenIn(db, 'tok').uses).to.equal(1);
      expect(db.state.registrations.map((r) => [r.userId, r.newUser])).to.deep.equal([['user-grace', false]]);
      expect((await service.previewFor(grace, 'ABCD-EFGH-JKMN')).kind === 'usable' && (await service.previewFor(grace, 'ABCD-EFGH-JKMN'))).to.deep.include({ enrolled: true });
    });

    it('a twin click that enrolled them meanwhile: the use is given back', async () => {
      const { world, db, service } = setup();
      world.enrolments.enrol = async () => ({ created: false });
      expect(await service.enrol(grace, CODE)).to.deep.equal({ kind: 'enrolled', redirectTo: '/learn/topic/42', created: false });
      expect(db.rollbacks).to.equal(1);
      expect(tokenIn(db, 'tok').uses).to.equal(0);
      expect(db.state.registrations).to.have.length(0);
    });

    it('refuses disabled, expired and used-up tokens with their reason, unknown codes generically', async () => {
      const cases: [Partial<Token>, string][] = [[{ enabled: false }, 'TOKEN.DISABLED'], [{ expiresAt: NOW }, 'TOKEN.EXPIRED'], [{ maxUses: 1, uses: 1 }, 'TOKEN.USED_UP']];
      for (const [state, code] of cases) {
        const { service } = setup({ token: state });
        expect(await service.enrol(grace, CODE), code).to.deep.equal(refused(code));
        expect(await service.previewFor(grace, CODE), code).to.deep.equal(refused(code));
      }
      const { service } = setup();
      expect(await service.enrol(grace, 'ZZZZ-ZZZZ-ZZZZ')).to.deep.equal(refused('TOKEN.NOT_RECOGNISED'));
    });

    it('someone already enrolled still reaches the item through a closed token', async () => {
      const { service } = setup({ token: { enabled: false }, configure: (w) => w.db.state.enrolments.push({ userId: 'user-grace', item: topic.ref }) });
      expect(await service.previewFor(grace, CODE)).to.deep.equal({ kind: 'usable', code: 'ABCD-EFGH-JKMN', item: topic, enrolled: true });
      expect(await service.enrol(grace, CODE)).to.deep.equal({ kind: 'enrolled', redirectTo: '/learn/topic/42', created: false });
    });

    it('the last use taken by someone else meanwhile: the state now, and nothing written', async () => {
      const { world, db, service } = setup({ token: { maxUses: 1 } });
      world.tokens.beforeClaim = () => {
        db.state.tokens = db.state.tokens.map((t) => ({ ...t, uses: 1 }));
      };
      expect(await service.enrol(grace, CODE)).to.deep.equal(refused('TOKEN.USED_UP'));
      expect(db.state.enrolments).to.have.length(0);
    });
  });

  describe('the seat-limit alert', () => {
    it('is told of every SEATS.EXHAUSTED answer, for new and known emails alike', async () => {
      const alerts = new FakeSeatAlerts();
      const { service } = setup({ alerts, configure: (w) => (w.db.state.seatsLeft = 0) });
      expect(await service.register(ada)).to.deep.equal(refused('SEATS.EXHAUSTED'));
      expect(await service.register({ ...ada, email: 'grace@example.com' })).to.deep.equal(refused('SEATS.EXHAUSTED'));
      expect(alerts.items).to.deep.equal([topic, topic]);
    });

    it('is not told when seats are left, and its failure never changes the answer', async () => {
      const alerts = new FakeSeatAlerts();
      const { service } = setup({ alerts });
      await service.register(ada);
      expect(alerts.items).to.deep.equal([]);
      const failing = new FakeSeatAlerts();
      failing.fail = true;
      const full = setup({ alerts: failing, configure: (w) => (w.db.state.seatsLeft = 0) });
      expect(await full.service.register(ada)).to.deep.equal(refused('SEATS.EXHAUSTED'));
      expect(full.world.logger.lines.map((l) => l.message)).to.include('Could not queue the seat-limit alert');
    });
  });

  describe('timing of the answers', () => {
    it('known, pending and suspended emails are answered no sooner than new ones take (a moving average), up to a second', async () => {
      const pauses: number[] = [];
      const suspended = user('user-s', { email: 'sus@example.com', status: 'suspended' });
      const { world, service, tick } = setup({ pauses, configure: (w) => w.db.state.users.push(suspended) });
      const create = world.users.create.bind(world.users);
      world.users.create = async (input, tx) => {
        tick(40); // creating an account is the slow path
        return create(input, tx);
      };
      expect(await service.register(ada)).to.deep.equal({ kind: 'accepted' });
      expect(pauses).to.deep.equal([]);
      expect(await service.register({ ...ada, email: 'grace@example.com' })).to.deep.equal({ kind: 'accepted' });
      expect(await service.register({ ...ada, email: 'sus@example.com' })).to.deep.equal({ kind: 'accepted' });
      expect(await service.register(ada)).to.deep.equal({ kind: 'accepted' }); // now a pending invitation
      expect(pauses).to.deep.equal([40, 40, 40]);
      // The average follows: a slower creation lengthens the wait (0.9 × 40 + 0.1 × 5000), never past a second.
      world.users.create = async (input, tx) => {
        tick(5000);
        return create(input, tx);
      };
      await service.register({ ...ada, email: 'slow@example.com' });
      await service.register({ ...ada, email: 'grace@example.com' });
      expect(pauses.at(-1)).to.equal(536);
      for (let i = 0; i < 5; i++) await service.register({ ...ada, email: `slow${i}@example.com` });
      await service.register({ ...ada, email: 'grace@example.com' });
      expect(pauses.at(-1)).to.equal(1000);
    });
  });

  describe('read caches', () => {
    it('a code is looked up once per cache period; a write anywhere (the signal) or the period ending reads again', async () => {
      const { world, service, signal, tick } = setup({ cacheMs: 1000 });
      await service.preview(CODE);
      await service.preview('abcd-efgh-jkmn');
      expect(world.tokens.findByCodeCalls).to.equal(1);
      signal.bump();
      await service.preview(CODE);
      expect(world.tokens.findByCodeCalls).to.equal(2);
      tick(999);
      await service.preview(CODE);
      expect(world.tokens.findByCodeCalls).to.equal(2);
      tick(1);
      await service.preview(CODE);
      expect(world.tokens.findByCodeCalls).to.equal(3);
    });

    it('unknown codes are never kept (guesses must not fill memory)', async () => {
      const { world, service } = setup({ cacheMs: 1000 });
      await service.preview('ZZZZ-ZZZZ-ZZZZ');
      await service.preview('ZZZZ-ZZZZ-ZZZZ');
      expect(world.tokens.findByCodeCalls).to.equal(2);
    });

    it('the expiry is judged at each request even from the cache', async () => {
      const { world, service } = setup({ cacheMs: 60_000, token: { expiresAt: new Date(NOW.getTime() + 1000) } });
      expect((await service.preview(CODE)).kind).to.equal('usable');
      world.clock.advance(1000);
      expect(await service.preview(CODE)).to.deep.equal(refused('TOKEN.EXPIRED'));
      expect(world.tokens.findByCodeCalls).to.equal(1);
    });

    it('the portal switch is cached until the signal says settings changed', async () => {
      const { world, service, signal } = setup({ cacheMs: 60_000 });
      expect(await service.isOpen()).to.equal(true);
      world.db.state.portalEnabled = false;
      expect(await service.isOpen()).to.equal(true);
      signal.bump();
      expect(await service.isOpen()).to.equal(false);
    });

    it('a known email is answered from the token as it is now, not as cached: no link for a token just disabled', async () => {
      const { db, service } = setup({ cacheMs: 60_000 });
      expect((await service.preview(CODE)).kind).to.equal('usable');
      db.state.tokens = db.state.tokens.map((t) => ({ ...t, enabled: false })); // behind the cache's back
      expect(await service.register({ ...ada, email: 'grace@example.com' })).to.deep.equal(refused('TOKEN.DISABLED'));
      expect(db.state.outbox).to.deep.equal([]);
    });

    it('a new person is never registered from a stale token: the use is claimed in the transaction', async () => {
      const { db, service } = setup({ cacheMs: 60_000 });
      expect((await service.preview(CODE)).kind).to.equal('usable');
      db.state.tokens = db.state.tokens.map((t) => ({ ...t, enabled: false })); // behind the cache's back
      expect(await service.register(ada)).to.deep.equal(refused('TOKEN.DISABLED'));
      expect(db.state.users).to.deep.equal([grace]);
    });
  });
});
