/*
 * Admin notifications end to end in the sandbox host, mail delivered to a real SMTP server: the
 * Notifications panel (validation that loses nothing, permissions, CSRF), an email per external
 * enrolment to the primary admin and the stakeholders, and daily digests grouped by the day in the
 * portal's time zone under a frozen clock.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import type { Knex } from 'knex';
import type { ParsedMail } from 'mailparser';
import { startTestSandbox, type TestSandbox } from '../sandbox/helpers.js';
import { TestSmtp, until } from '../support/mail-support.js';
import { csrfOf, pluginOf, seedToken, sessionWithCsrf } from './mail-e2e-support.js';
import type { NotificationScheduler } from '../../src/adapters/mail/notification.scheduler.js';
import type { OutboxWorker } from '../../src/adapters/mail/outbox.worker.js';
import { TYPES } from '../../src/types.js';
import type { PortalFacts } from '../../src/domain/ports/portal-facts.port.js';
import { signedInAgent } from '../support/sign-in.js';

const BASE = 'http://learn.acme.test/portal';

describe('e2e: admin notifications of external enrolments', function () {
  this.timeout(60_000);
  let t: TestSandbox;
  let knex: Knex;
  const smtp = new TestSmtp();
  let admin: Awaited<ReturnType<typeof signedInAgent>>;
  let topic: { id: string; title: string };
  let code = '';
  let adminEmail = '';

  before(async () => {
    await smtp.start();
    t = await startTestSandbox({ plugin: false, env: { PUBLIC_BASE_URL: BASE, SMTP_URL: smtp.url } });
    knex = t.knex;
    await t.sandbox.loadPlugin({ options: { smtpUrl: smtp.url, outboxPollMs: 50, digestHour: 7, digestCheckMs: 3_600_000 } });
    const row = await knex('sandbox_items').where({ type: 'topic', origin: 'own' }).orderBy('id').first();
    topic = { id: String(row.id), title: row.title };
    code = await seedToken(t, { type: 'topic', id: topic.id }, 'NOTE-FAIR-2026', 'Spring <fair>');
    const a = t.accounts['Super admin']!;
    adminEmail = a.email.toLowerCase();
    admin = await signedInAgent(t, a.email, a.password);
  });
  after(async () => {
    t?.sandbox.clock.set(null);
    await t?.destroy();
    await smtp.stop();
  });

  const settingsPath = () => `/admin/items/topic/${topic.id}/settings`;
  const action = () => `/admin/self-registration/notifications/items/topic/${topic.id}`;
  const panelOf = (html: string) => {
    const start = html.indexOf('id="self-registration-notifications"');
    return start < 0 ? '' : html.slice(start, html.indexOf('</form>', start));
  };
  const stored = () => knex('selfreg_notification_settings').where({ item_type: 'topic', item_id: topic.id }).first();
  const register = (email: string, firstName = 'Ada', lastName = 'Lovelace') =>
    supertest(t.sandbox.app).post('/register').type('form').send({ firstName, lastName, email, token: code });
  const mailsTo = (address: string, template: RegExp): Promise<ParsedMail[]> =>
    Promise.all(smtp.received.map((_m, i) => i).filter((i) => smtp.received[i]!.to.includes(address)).map((i) => smtp.parsed(i)))
      .then((all) => all.filter((m) => template.test(m.subject ?? '')));

  describe('the Notifications panel', () => {
    it('shows on the item’s Settings tab with the primary admin, off by default, to Super and Standard admins', async () => {
      const page = await admin.get(settingsPath()).expect(200);
      const panel = panelOf(page.text);
      expect(page.text).to.contain('Notifications');
      expect(panel).to.contain(`<strong class="selfreg-primary-admin">${adminEmail}</strong>`);
      expect(panel).to.match(/id="selfreg-notify-enabled" name="enabled" value="on" role="switch">/);
      expect(panel).to.contain('id="selfreg-notify-mode-each" name="mode" value="each" checked');
      expect(panel).to.contain('Sent at 07:00 (Europe/London) the next day');
      const std = t.accounts['Standard admin']!;
      const editor = await signedInAgent(t, std.email, std.password);
      expect(panelOf((await editor.get(settingsPath()).expect(200)).text)).to.contain(`action="${action()}"`);
    });

    it('is absent for library content', async () => {
      const lib = await knex('sandbox_items').where({ origin: 'library' }).first();
      const page = await admin.get(`/admin/items/${lib.type}/${lib.id}/settings`).expect(200);
      expect(page.text).not.to.contain('id="self-registration-notifications"');
    });

    it('refuses bad addresses naming each one, stores nothing, and shows again exactly what was typed', async () => {
      const page = await admin.get(`${settingsPath()}?x=1`).expect(200);
      const typed = 'bea@acme.test\nbob@\n<script>alert(1)</script>\ncarl@acme.test';
      const res = await admin.post(action()).type('form').send({ _csrf: csrfOf(page.text), returnTo: `${settingsPath()}?x=1`, enabled: 'on', mode: 'digest', stakeholders: typed });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.match(new RegExp(`^${settingsPath()}\\?x=1&selfreg_notify=refused&selfreg_notify_error=NOTIFICATION\\.RECIPIENT_INVALID&selfreg_notify_draft=[A-Za-z0-9_-]{24}#self-registration-notifications$`));
      expect(res.headers.location).not.to.contain('bea');
      expect(await stored()).to.equal(undefined);

      const again = panelOf((await admin.get(res.headers.location!).expect(200)).text);
      expect(again).to.contain('There is a problem');
      expect(again).to.contain('These are not email addresses: “bob@”, “&lt;script&gt;alert(1)&lt;/script&gt;”. Correct them and save again.');
      expect(again).not.to.contain('<script>alert(1)');
      expect(again).to.contain('aria-invalid="true">bea@acme.test\nbob@\n&lt;script&gt;alert(1)&lt;/script&gt;\ncarl@acme.test</textarea>');
      expect(again).to.match(/name="enabled" value="on" role="switch" checked>/);
      expect(again).to.contain('value="digest" aria-describedby="selfreg-notify-digest-hint" checked');
      // The draft belongs to the session that typed it.
      const std = t.accounts['Standard admin']!;
      const other = await signedInAgent(t, std.email, std.password);
      expect(panelOf((await other.get(res.headers.location!).expect(200)).text)).not.to.contain('bob@');
    });

    it('refuses more than 20 other recipients with the count', async () => {
      const page = await admin.get(settingsPath()).expect(200);
      const many = Array.from({ length: 21 }, (_, i) => `p${i}@acme.test`).join(', ');
      const res = await admin.post(action()).type('form').send({ _csrf: csrfOf(page.text), returnTo: settingsPath(), enabled: 'on', mode: 'each', stakeholders: many });
      const again = panelOf((await admin.get(res.headers.location!).expect(200)).text);
      expect(again).to.contain('You named 21 other recipients; the most is 20.');
      expect(again).to.contain('p20@acme.test</textarea>');
      expect(await stored()).to.equal(undefined);
    });

    it('refuses learners, strangers and posts without the CSRF token', async () => {
      const form = { enabled: 'on', mode: 'each', stakeholders: '', returnTo: settingsPath() };
      const learner = await sessionWithCsrf(t, t.accounts['Staff learner']!.email, t.accounts['Staff learner']!.password);
      await supertest(t.sandbox.app).post(action()).set('Cookie', learner.cookie).type('form').send({ ...form, _csrf: learner.csrf }).expect(403);
      await supertest(t.sandbox.app).post(action()).type('form').send(form).expect(401);
      await admin.post(action()).type('form').send(form).expect(403);
      await admin.post(action()).type('form').send({ ...form, _csrf: 'forged' }).expect(403);
      expect(await stored()).to.equal(undefined);
    });

    it('saves the switch, the mode and the validated, de-duplicated recipients', async () => {
      const page = await admin.get(settingsPath()).expect(200);
      const res = await admin.post(action()).type('form').send({
        _csrf: csrfOf(page.text), returnTo: `${settingsPath()}?selfreg_notify=refused&selfreg_notify_draft=zzz`, enabled: 'on', mode: 'each',
        stakeholders: 'Bea Jones <BEA@acme.test>; carl@acme.test\nbea@acme.test',
      });
      expect(res.headers.location).to.equal(`${settingsPath()}?selfreg_notify=saved#self-registration-notifications`);
      const row = await stored();
      expect(row).to.deep.include({ enabled: true, mode: 'each' });
      expect(typeof row.stakeholders === 'string' ? JSON.parse(row.stakeholders) : row.stakeholders).to.deep.equal(['bea@acme.test', 'carl@acme.test']);
      const panel = panelOf((await admin.get(res.headers.location!).expect(200)).text);
      expect(panel).to.contain('Notification settings saved.');
      expect(panel).to.contain('>bea@acme.test\ncarl@acme.test</textarea>');
      expect(panel).to.match(/role="switch" checked>/);
    });
  });

  describe('an email per enrolment', () => {
    it('a new person’s registration emails the primary admin and each stakeholder: who, which item and token, when, and the report link', async () => {
      smtp.received.length = 0;
      t.sandbox.clock.set(new Date('2026-07-01T09:05:00Z'));
      try {
        const res = await register('Ada.Lovelace@Example.com', 'Ada', 'O’Brien-Lovelace');
        expect(res.status).to.equal(200);
      } finally {
        t.sandbox.clock.set(null);
      }
      await smtp.waitFor(4);
      expect(smtp.received.map((m) => m.to[0]).sort()).to.deep.equal([adminEmail, 'ada.lovelace@example.com', 'bea@acme.test', 'carl@acme.test'].sort());
      const [notice] = await mailsTo('bea@acme.test', /New registration/);
      expect(notice!.subject).to.equal(`New registration for “${topic.title}”`);
      const report = `${BASE}/admin/self-registration/reports/registrations?item=topic%3A${topic.id}`;
      expect(notice!.text).to.contain(`Ada O’Brien-Lovelace registered for the topic "${topic.title}"`);
      expect(notice!.text).to.contain('Email:    ada.lovelace@example.com').and.to.contain('Account:  New user (a Prospect account was created)');
      expect(notice!.text).to.contain('Token:    Spring <fair>').and.to.contain('When:     1 July 2026, 10:05 BST');
      expect(notice!.text).to.contain(`View the report: ${report}`);
      expect(String(notice!.html)).to.contain(`href="${report}"`).and.to.contain('Spring &lt;fair&gt;').and.to.contain('O’Brien-Lovelace');
      const raw = smtp.received.find((m) => m.to[0] === 'bea@acme.test')!.raw;
      expect(raw.slice(0, raw.indexOf('\r\n\r\n'))).not.to.contain('Lovelace');
      expect((await mailsTo(adminEmail, /New registration/)).length).to.equal(1);
    });

    it('an existing account enrolled through its sign-in link: one notification saying so', async () => {
      smtp.received.length = 0;
      const staff = t.accounts['Staff learner']!;
      expect((await register(staff.email, 'Someone', 'Else')).status).to.equal(200);
      await smtp.waitFor(1);
      expect(smtp.received.map((m) => m.to[0])).to.deep.equal([staff.email.toLowerCase()]); // no enrolment yet: no notification
      const link = /https?:\/\/\S+\/self-registration\/sign-in\/[A-Za-z0-9_-]+/.exec((await smtp.parsed(0)).text ?? '')![0];
      const agent = supertest.agent(t.sandbox.app);
      await agent.post(new URL(link).pathname.replace('/portal', '')).expect(303);
      await smtp.waitFor(4);
      const [notice] = await mailsTo('carl@acme.test', /New registration/);
      expect(notice!.text).to.contain('Sam Staff registered').and.to.contain('Account:  Existing user (already had an account)');
    });
  });

  describe('the daily digest (frozen clock, portal in Tokyo)', () => {
    const scheduler = () => pluginOf(t).container.get<NotificationScheduler>(TYPES.NotificationScheduler);

    before(async () => {
      // The test runs the rounds itself, at the times it freezes: no automatic round in between.
      await scheduler().stop();
      expect(scheduler().active).to.equal(false);
      await knex('sandbox_portal').where({ id: 1 }).update({ time_zone: 'Asia/Tokyo' });
      // Changed behind the plugin's back: drop the few seconds it keeps the portal's facts.
      pluginOf(t).container.get<PortalFacts>(TYPES.PortalFacts).invalidate();
      const page = await admin.get(settingsPath()).expect(200);
      const res = await admin.post(action()).type('form').send({ _csrf: csrfOf(page.text), returnTo: settingsPath(), enabled: 'on', mode: 'digest', stakeholders: 'bea@acme.test' });
      expect(res.headers.location).to.contain('selfreg_notify=saved');
    });
    after(async () => {
      t.sandbox.clock.set(null);
      await knex('sandbox_portal').where({ id: 1 }).update({ time_zone: 'Europe/London' });
      pluginOf(t).container.get<PortalFacts>(TYPES.PortalFacts).invalidate();
    });

    it('groups the enrolments by Tokyo’s day and sends one digest per day, once, after that day’s digest hour', async () => {
      smtp.received.length = 0;
      const at = async (iso: string, email: string, first: string) => {
        t.sandbox.clock.set(new Date(iso));
        expect((await register(email, first, 'Digest')).status).to.equal(200);
      };
      await at('2026-03-01T14:30:00Z', 'd1@example.com', 'Aiko'); // 23:30 on 1 March in Tokyo (still the 1st in UTC)
      await at('2026-03-01T15:30:00Z', 'd2@example.com', 'Ben'); //   00:30 on 2 March in Tokyo (the 1st in UTC)
      await at('2026-03-02T10:00:00Z', 'd3@example.com', 'Chie'); //  19:00 on 2 March in Tokyo
      await smtp.waitFor(3);
      expect(smtp.received.map((m) => m.to[0]).sort()).to.deep.equal(['d1@example.com', 'd2@example.com', 'd3@example.com']); // invitations only

      // 06:59 on 3 March in Tokyo: 1 March's digest is due (since 07:00 on the 2nd), 2 March's not yet.
      t.sandbox.clock.set(new Date('2026-03-02T21:59:00Z'));
      expect(await scheduler().tick()).to.deep.equal({ digests: 1, messages: 2 });
      // 07:00 on 3 March in Tokyo: 2 March's digest too; running again sends nothing more.
      t.sandbox.clock.set(new Date('2026-03-02T22:00:00Z'));
      expect(await scheduler().tick()).to.deep.equal({ digests: 1, messages: 2 });
      expect(await scheduler().tick()).to.deep.equal({ digests: 0, messages: 0 });
      pluginOf(t).container.get<OutboxWorker>(TYPES.OutboxWorker).nudge();
      await smtp.waitFor(7);
      await until(async () => Number((await knex('selfreg_outbox').whereNot({ status: 'sent' }).count({ n: '*' }))[0]!.n) === 0, 10_000, 'everything sent');
      expect(smtp.received).to.have.length(7);

      const digests = (await mailsTo('bea@acme.test', /Daily digest/)).sort((a, b) => String(a.subject).localeCompare(String(b.subject)));
      expect(digests.map((d) => d.subject)).to.deep.equal([
        `Daily digest: 1 registration for “${topic.title}” on Sunday 1 March 2026`,
        `Daily digest: 2 registrations for “${topic.title}” on Monday 2 March 2026`,
      ]);
      expect(digests[0]!.text).to.contain('(Asia/Tokyo time)').and.to.contain('- 23:30  Aiko Digest <d1@example.com>, new user, token: Spring <fair>');
      expect(digests[1]!.text).to.contain('- 00:30  Ben Digest <d2@example.com>').and.to.contain('- 19:00  Chie Digest <d3@example.com>');
      expect(digests[1]!.text).to.contain(`View the report: ${BASE}/admin/self-registration/reports/registrations?item=topic%3A${topic.id}`);
      expect((await mailsTo(adminEmail, /Daily digest/)).length).to.equal(2);
      expect(await knex('selfreg_digests').orderBy('day').select('day', 'part', 'entries', 'recipients')).to.deep.equal([
        { day: '2026-03-01', part: 1, entries: 1, recipients: 2 },
        { day: '2026-03-02', part: 1, entries: 2, recipients: 2 },
      ]);
    });
  });
});
