/*
 * What a registration costs in statements, and that the cheap paths stay exact: a new-user
 * registration's statements counted through knex's 'query' event (every statement the plugin and the
 * host send, BEGIN and COMMIT included); uses of capped and uncapped tokens under parallel
 * registrations; no session row for an anonymous deep-link GET. Runs on PGlite and PostgreSQL; the
 * parallel parts only race on PostgreSQL.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { TYPES } from '../../src/types.js';
import type { OutboxWorker } from '../../src/adapters/mail/outbox.worker.js';
import { count, startRegistrationSandbox, usesOf, type RegistrationSandbox } from './registration-helpers.js';

const ON_POSTGRES = !!process.env.DATABASE_URL;
/** One statement: the host's seat, user and enrolment with the plugin's use, record, link and mail. */
const REGISTRATION_STATEMENTS = 1;

describe('registration round trips', function () {
  this.timeout(120_000);
  let s: RegistrationSandbox;
  let statements: string[] = [];
  const listen = (q: { sql: string }) => void statements.push(q.sql);

  before(async () => {
    // Every limit on (they are part of what a registration costs), high enough not to refuse this suite.
    s = await startRegistrationSandbox({
      listen: ON_POSTGRES, options: { outboxPollMs: 60_000, rateLimitIp: '1000/10m', rateLimitEmail: '1000/1h', rateLimitToken: '1000/10m', rateLimitUnknownCode: '1000/1h' },
    });
    await s.plugin.container.get<OutboxWorker>(TYPES.OutboxWorker).stop();
    s.knex.on('query', listen);
  });
  after(async () => {
    s?.knex.removeListener('query', listen);
    await s?.close();
  });

  const form = (email: string, code: string) => ({ firstName: 'Round', lastName: 'Trip', email, token: code });

  it(`a new-user registration sends at most ${REGISTRATION_STATEMENTS + 1} statements (limits: one; the registration: ${REGISTRATION_STATEMENTS}) once the token is cached`, async () => {
    const token = await s.token(s.items.topic.ref);
    const agent = supertest(s.t.sandbox.app);
    await agent.post('/register').type('form').send(form('warm@example.com', token.code!)).expect(200);
    statements = [];
    await agent.post('/register').type('form').send(form('counted@example.com', token.code!)).expect(200);
    const sent = statements;
    expect(sent.length, sent.join('\n')).to.be.at.most(REGISTRATION_STATEMENTS + 1);
    expect(sent.filter((q) => /selfreg_rate_limits/.test(q)), 'one statement for every limit').to.have.length(1);
    expect(sent.some((q) => /^update "selfreg_tokens"/i.test(q)), 'an uncapped token row is not written').to.equal(false);
    expect(sent.some((q) => /^(BEGIN|COMMIT)/i.test(q)), 'one statement needs no transaction around it').to.equal(false);
    const user = await s.knex('sandbox_users').where({ email: 'counted@example.com' }).first();
    expect(await count(s.knex, 'sandbox_enrolments', { user_id: user.id })).to.equal(1);
    expect(await count(s.knex, 'selfreg_registrations', { user_id: String(user.id) })).to.equal(1);
    expect(await count(s.knex, 'selfreg_email_links', { user_id: String(user.id) })).to.equal(1);
    expect(await count(s.knex, 'selfreg_outbox', { recipient: 'counted@example.com' })).to.equal(1);
    expect(await usesOf(s.knex, token.id)).to.equal(2);
  });

  it('with admin notifications on for the item, the registration joins a transaction with them: BEGIN, the host, the plugin, the notification, COMMIT', async () => {
    const token = await s.token(s.items.article.ref);
    await s.knex('selfreg_notification_settings').insert({ item_type: 'article', item_id: s.items.article.id, enabled: true, mode: 'each', stakeholders: '[]' });
    s.changed();
    const agent = supertest(s.t.sandbox.app);
    await agent.post('/register').type('form').send(form('warm2@example.com', token.code!)).expect(200);
    statements = [];
    await agent.post('/register').type('form').send(form('notified@example.com', token.code!)).expect(200);
    const sent = statements.filter((q) => !/selfreg_rate_limits/.test(q));
    expect(sent[0]).to.match(/^BEGIN/i);
    expect(sent[sent.length - 1]).to.match(/^COMMIT/i);
    expect(sent.length, sent.join('\n')).to.be.at.most(5);
    expect(await count(s.knex, 'selfreg_outbox', { template: 'admin-notification' })).to.be.at.least(2);
  });

  it('an anonymous deep-link GET creates no session row and sets no cookie', async () => {
    const token = await s.token(s.items.article.ref);
    const sessions = await count(s.knex, 'sandbox_sessions');
    statements = [];
    const res = await supertest(s.t.sandbox.app).get(`/register/${token.code}`).expect(200);
    expect(res.headers['set-cookie']).to.equal(undefined);
    expect(statements.filter((q) => /sandbox_sessions/.test(q))).to.deep.equal([]);
    expect(await count(s.knex, 'sandbox_sessions')).to.equal(sessions);
    statements = [];
    await supertest(s.t.sandbox.app).get(`/register/${token.code}`).expect(200);
    expect(statements.filter((q) => /selfreg_rate_limits/.test(q)), 'an address seen unblocked a moment ago is not read again').to.deep.equal([]);
  });

  it('uses stay exact under parallel registrations, uncapped (shards) and capped (the token row) alike (races on PostgreSQL only)', async function () {
    if (!ON_POSTGRES) this.skip();
    const uncapped = await s.token(s.items.pathway.ref);
    const capped = await s.token(s.items.pathway.ref, { maxUses: 7 });
    const send = (code: string, i: number, kind: string) =>
      fetch(`${s.base}/register`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form(`${kind}${i}@example.com`, code)),
      }).then((r) => r.status);
    const statuses = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => send(uncapped.code!, i, 'open')),
      ...Array.from({ length: 20 }, (_, i) => send(capped.code!, i, 'capped')),
    ]);
    const ok = statuses.filter((st) => st === 200).length;
    expect(await usesOf(s.knex, uncapped.id)).to.equal(await count(s.knex, 'selfreg_registrations', { token_id: uncapped.id }));
    expect(await usesOf(s.knex, capped.id)).to.equal(7);
    expect(await count(s.knex, 'selfreg_registrations', { token_id: capped.id })).to.equal(7);
    expect(ok).to.equal((await usesOf(s.knex, uncapped.id)) + 7);
  });
});
