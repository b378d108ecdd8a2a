/*
 * Exactly-once under races (security.md item 9), with real parallel HTTP requests against a
 * listening sandbox on 127.0.0.1 and real PostgreSQL: max uses and seats are claimed atomically in
 * the registration transaction; double submits are harmless. PGlite has a single connection, so
 * it cannot race: these tests run on PostgreSQL only (DATABASE_URL).
 */
import { expect } from 'chai';
import { TYPES } from '../../src/types.js';
import type { OutboxWorker } from '../../src/adapters/mail/outbox.worker.js';
import { count, csrfOf, usesOf, NO_LIMITS, startRegistrationSandbox, type RegistrationSandbox } from './registration-helpers.js';

const ON_POSTGRES = !!process.env.DATABASE_URL;

describe('concurrency: parallel registrations over HTTP on PostgreSQL', function () {
  this.timeout(120_000);
  let s: RegistrationSandbox;

  before(async function () {
    if (!ON_POSTGRES) return;
    s = await startRegistrationSandbox({ listen: true, options: { ...NO_LIMITS, outboxPollMs: 60_000 } });
    // Mail stays queued, so each test can count exactly what was queued.
    await s.plugin.container.get<OutboxWorker>(TYPES.OutboxWorker).stop();
  });
  after(async () => {
    await s?.close();
  });

  const register = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${s.base}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ firstName: 'Para', lastName: 'Llel', ...fields }),
      redirect: 'manual',
    }).then(async (res) => ({ status: res.status, body: await res.text() }));

  const tally = (results: { status: number }[]) => results.reduce<Record<number, number>>((t, r) => ({ ...t, [r.status]: (t[r.status] ?? 0) + 1 }), {});

  it('200 parallel attempts on a token with max uses 25: exactly 25 registered (skipped on PGlite: a single connection cannot race)', async function () {
    if (!ON_POSTGRES) this.skip();
    const token = await s.token(s.items.topic.ref, { maxUses: 25 });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => register({ email: `race${i}@example.com`, token: token.code! })));
    expect(tally(results)).to.deep.equal({ 200: 25, 422: 175 });
    expect(results.filter((r) => r.status === 422).every((r) => r.body.includes('reached its limit of registrations'))).to.equal(true);
    expect(await usesOf(s.knex, token.id)).to.equal(25);
    expect(await count(s.knex, 'selfreg_registrations', { token_id: token.id })).to.equal(25);
    expect(Number((await s.knex('sandbox_users').where('email', 'like', 'race%@example.com').count({ n: '*' }).first())!.n)).to.equal(25);
    expect(Number((await s.knex('selfreg_outbox').where('recipient', 'like', 'race%@example.com').count({ n: '*' }).first())!.n)).to.equal(25);
  });

  it('50 parallel new emails with 5 seats free: exactly 5 users (skipped on PGlite: a single connection cannot race)', async function () {
    if (!ON_POSTGRES) this.skip();
    const token = await s.token(s.items.article.ref);
    const users = await count(s.knex, 'sandbox_users');
    await s.knex('sandbox_portal').where({ id: 1 }).update({ seat_limit: users + 5 });
    try {
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => register({ email: `seat${i}@example.com`, token: token.code! })));
      expect(tally(results)).to.deep.equal({ 200: 5, 422: 45 });
      expect(results.filter((r) => r.status === 422).every((r) => r.body.includes('No new accounts right now'))).to.equal(true);
      expect(await count(s.knex, 'sandbox_users')).to.equal(users + 5);
      expect(await usesOf(s.knex, token.id)).to.equal(5);
      expect(await count(s.knex, 'selfreg_registrations', { token_id: token.id })).to.equal(5);
      // One seat-limit alert for the day, however many were turned away at once.
      expect(await count(s.knex, 'selfreg_seat_alerts')).to.equal(1);
    } finally {
      await s.knex('sandbox_portal').where({ id: 1 }).update({ seat_limit: null });
    }
  });

  it('10 identical submits at once: one user, one enrolment, one registration, one mail, ten identical answers (skipped on PGlite: a single connection cannot race)', async function () {
    if (!ON_POSTGRES) this.skip();
    const token = await s.token(s.items.pathway.ref);
    const results = await Promise.all(Array.from({ length: 10 }, () => register({ email: 'twice@example.com', token: token.code! })));
    expect(tally(results)).to.deep.equal({ 200: 10 });
    expect(new Set(results.map((r) => r.body)).size).to.equal(1);
    const user = await s.knex('sandbox_users').where({ email: 'twice@example.com' });
    expect(user).to.have.length(1);
    expect(await count(s.knex, 'sandbox_enrolments', { user_id: user[0].id })).to.equal(1);
    expect(await count(s.knex, 'selfreg_registrations', { user_id: String(user[0].id) })).to.equal(1);
    expect(await count(s.knex, 'selfreg_outbox', { recipient: 'twice@example.com' })).to.equal(1);
    expect(await usesOf(s.knex, token.id)).to.equal(1);
  });

  it('20 parallel one-click enrolments by one signed-in person: one enrolment, one use (skipped on PGlite: a single connection cannot race)', async function () {
    if (!ON_POSTGRES) this.skip();
    const token = await s.token(s.items.article.ref);
    const client = s.t.accounts['Client learner']!;
    const login = await fetch(`${s.base}/login`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: client.email, password: client.password }),
    });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const page = await (await fetch(`${s.base}/register/${token.code}/enrol`, { headers: { cookie } })).text();
    const results = await Promise.all(Array.from({ length: 20 }, () =>
      fetch(`${s.base}/register/${token.code}/enrol`, {
        method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrfOf(page) }),
      }).then((r) => ({ status: r.status, location: r.headers.get('location') }))));
    expect(tally(results)).to.deep.equal({ 303: 20 });
    expect(new Set(results.map((r) => r.location))).to.deep.equal(new Set([`/items/article/${s.items.article.id}`]));
    const user = await s.knex('sandbox_users').where({ email: client.email }).first();
    expect(await count(s.knex, 'sandbox_enrolments', { user_id: user.id, item_id: s.items.article.id })).to.equal(1);
    expect(await usesOf(s.knex, token.id)).to.equal(1);
    expect(await count(s.knex, 'selfreg_registrations', { token_id: token.id })).to.equal(1);
  });
});
