/*
 * Mail end to end in the sandbox host: registrations over HTTP while the SMTP server refuses mail
 * (451) or is down altogether (ECONNREFUSED), then comes back on the same port — every registration
 * succeeds, every message arrives exactly once. And the Email delivery panel: counts, failures,
 * Retry, Super admins only.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import type { Knex } from 'knex';
import { startTestSandbox, type TestSandbox } from '../sandbox/helpers.js';
import { TestSmtp, until } from '../support/mail-support.js';
import { csrfOf, seedToken, sessionWithCsrf } from './mail-e2e-support.js';
import { signedInAgent } from '../support/sign-in.js';

const BASE = 'http://learn.acme.test';

describe('e2e: mail delivery through the outbox', function () {
  this.timeout(60_000);
  let t: TestSandbox;
  let knex: Knex;
  const smtp = new TestSmtp();
  let n = 0;
  let CODE = '';

  before(async () => {
    await smtp.start();
    t = await startTestSandbox({ plugin: false, env: { PUBLIC_BASE_URL: BASE, SMTP_URL: smtp.url } });
    knex = t.knex;
    await t.sandbox.loadPlugin({ options: { smtpUrl: smtp.url, outboxPollMs: 50, mailRetryBaseMs: 50, mailOutageRetryMaxMs: 100 } });
    const row = await knex('sandbox_items').where({ type: 'topic', origin: 'own' }).orderBy('id').first();
    CODE = await seedToken(t, { type: 'topic', id: String(row.id) }, 'MAIL-TEST-CODE-7', 'Mail test');
  });
  after(async () => {
    await t?.destroy();
    await smtp.stop();
  });
  beforeEach(() => {
    smtp.received.length = 0;
    smtp.refuse = false;
    smtp.rejected.clear();
  });

  const register = (email: string) =>
    supertest(t.sandbox.app).post('/register').type('form').send({ firstName: 'Mia', lastName: `Tester ${String.fromCharCode(65 + (n++ % 26))}`, email, token: CODE });
  const outbox = async () => {
    const rows: { status: string; n: string | number }[] = await knex('selfreg_outbox').select('status').count({ n: '*' }).groupBy('status');
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Record<string, number>;
  };
  const expectEachOnce = () => {
    const counts = smtp.counts();
    expect(counts.size).to.equal(smtp.received.length);
    expect([...counts.values()].every((c) => c === 1)).to.equal(true);
  };

  it('SMTP refusing (451) during registrations: all succeed, the mail waits, then every message arrives once', async () => {
    smtp.refuse = true;
    const emails = ['r1@example.com', 'r2@example.com', 'r3@example.com', 'r4@example.com'];
    for (const email of emails) {
      const res = await register(email);
      expect(res.status, res.text.slice(0, 200)).to.equal(200);
      expect(res.text).to.contain('Check your inbox');
    }
    expect(await knex('sandbox_users').whereIn('email', emails)).to.have.length(4);
    await until(async () => Number((await knex('selfreg_outbox').whereNotNull('last_error').count({ n: '*' }))[0]!.n) === 4, 20_000, 'every message refused once');
    expect(smtp.received).to.have.length(0);

    smtp.refuse = false;
    await until(async () => (await outbox()).sent === 4, 20_000, 'all four sent');
    expect(smtp.received.map((m) => m.to[0]).sort()).to.deep.equal(emails);
    expectEachOnce();
  });

  it('SMTP server down (ECONNREFUSED) during registrations, then back on the same port: nothing lost, each once', async () => {
    const port = new URL(smtp.url).port;
    await smtp.stop();
    const emails = ['d1@example.com', 'd2@example.com', 'd3@example.com'];
    try {
      for (const email of emails) expect((await register(email)).status).to.equal(200);
      await until(async () => Number((await knex('selfreg_outbox').where('outage_retries', '>=', 2).count({ n: '*' }))[0]!.n) === 3, 20_000, 'two failed rounds');
      const waiting = await knex('selfreg_outbox').where('outage_retries', '>', 0);
      expect(waiting.every((r: { status: string; attempts: number }) => r.status !== 'failed' && r.attempts <= 1)).to.equal(true);
    } finally {
      await smtp.start(Number(port));
    }
    await until(async () => (await outbox()).sent === 7, 20_000, 'all sent');
    expect(smtp.received.map((m) => m.to[0]).sort()).to.deep.equal(emails);
    expectEachOnce();
  });

  describe('the Email delivery panel', () => {
    let admin: Awaited<ReturnType<typeof signedInAgent>>;
    let failedId = '';

    before(async () => {
      const a = t.accounts['Super admin']!;
      admin = await signedInAgent(t, a.email, a.password);
    });

    it('a message rejected for good (550) is parked and shown to Super admins with its recipient and error', async () => {
      smtp.rejected.add('bounce@example.com');
      expect((await register('bounce@example.com')).status).to.equal(200);
      await until(async () => (await outbox()).failed === 1, 20_000, 'the message to be parked');
      failedId = String((await knex('selfreg_outbox').where({ status: 'failed' }).first()).id);

      const page = await admin.get('/admin/portal').expect(200);
      expect(page.text).to.contain('Email delivery');
      const panel = page.text.slice(page.text.indexOf('id="self-registration-mail"'));
      expect(panel).to.contain('<td data-count="sent">7</td>').and.to.contain('<td data-count="failed">1</td>').and.to.contain('<td data-count="queued">0</td>');
      expect(panel).to.contain(`data-mail-id="${failedId}"`).and.to.contain('bounce@example.com').and.to.contain('Invitation');
      expect(panel).to.match(/550[^<]*No such user here/);
      expect(panel).to.contain(`action="/admin/self-registration/mail/retry/${failedId}"`).and.to.contain('Retry all failed (1)');
    });

    it('is hidden from Standard admins, and its forms refuse them, learners, strangers and forged posts', async () => {
      const std = t.accounts['Standard admin']!;
      const standard = await signedInAgent(t, std.email, std.password);
      const page = await standard.get('/admin/portal').expect(200);
      expect(page.text).not.to.contain('id="self-registration-mail"');
      const csrf = csrfOf(page.text);
      await standard.post(`/admin/self-registration/mail/retry/${failedId}`).type('form').send({ _csrf: csrf, returnTo: '/admin/portal' }).expect(403);
      await standard.post('/admin/self-registration/mail/retry-all').type('form').send({ _csrf: csrf, returnTo: '/admin/portal' }).expect(403);
      const learner = await sessionWithCsrf(t, t.accounts['Staff learner']!.email, t.accounts['Staff learner']!.password);
      await supertest(t.sandbox.app).post('/admin/self-registration/mail/retry-all').set('Cookie', learner.cookie).type('form').send({ _csrf: learner.csrf }).expect(403);
      await supertest(t.sandbox.app).post('/admin/self-registration/mail/retry-all').type('form').send({}).expect(401);
      await admin.post('/admin/self-registration/mail/retry-all').type('form').send({ returnTo: '/admin/portal' }).expect(403); // no CSRF token
      expect((await outbox()).failed).to.equal(1);
    });

    it('Retry puts it back in the queue; it is sent once the server accepts it, with the same Message-ID', async () => {
      const messageId = (await knex('selfreg_outbox').where({ id: failedId }).first()).message_id;
      smtp.rejected.clear();
      const page = await admin.get('/admin/portal').expect(200);
      const res = await admin.post(`/admin/self-registration/mail/retry/${failedId}`).type('form').send({ _csrf: csrfOf(page.text), returnTo: '/admin/portal?tab=x' });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/admin/portal?tab=x&selfreg_mail=retried#self-registration-mail');
      expect((await admin.get(res.headers.location!).expect(200)).text).to.contain('The message is back in the queue');
      await until(async () => (await outbox()).sent === 8, 20_000, 'the retried message to be sent');
      expect(smtp.received.map((m) => m.messageId)).to.deep.equal([messageId]);

      const again = await admin.post(`/admin/self-registration/mail/retry/${failedId}`).type('form').send({ _csrf: csrfOf(page.text), returnTo: '/admin/portal' });
      expect(again.headers.location).to.equal('/admin/portal?selfreg_mail_error=MAIL.NOT_FOUND#self-registration-mail');
      expect((await admin.get(again.headers.location!)).text).to.contain('That message is no longer waiting for a retry');
    });

    it('Retry all re-queues every failed message', async () => {
      smtp.rejected.add('b1@example.com').add('b2@example.com');
      for (const email of ['b1@example.com', 'b2@example.com']) expect((await register(email)).status).to.equal(200);
      await until(async () => (await outbox()).failed === 2, 20_000, 'two parked');
      smtp.rejected.clear();
      const page = await admin.get('/admin/portal').expect(200);
      expect(page.text).to.contain('Retry all failed (2)');
      const res = await admin.post('/admin/self-registration/mail/retry-all').type('form').send({ _csrf: csrfOf(page.text), returnTo: '/admin/portal' });
      expect(res.headers.location).to.equal('/admin/portal?selfreg_mail=retried_all&selfreg_mail_count=2#self-registration-mail');
      expect((await admin.get(res.headers.location!)).text).to.contain('2 failed messages are back in the queue');
      await until(async () => (await outbox()).sent === 10, 20_000, 'both sent');
      expect((await outbox()).failed ?? 0).to.equal(0);
      expectEachOnce();
    });
  });
});
