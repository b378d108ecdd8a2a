/*
 * The funnel on a scripted journey, on a 1.1 host (the sandbox with a `reports` port added, its
 * learning events raised through its events port): deep-link views with a campaign → registration of
 * a new and of an existing account → set password / sign-in link → started → completed; the
 * campaign kept from the deep link to both reports, hostile utm values refused or cut; the plugin's
 * columns in the host's item report; learners refused every report and export.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import type { ReportContributor } from '../../src/contract/index.js';
import { startTestSandbox, type TestSandbox } from '../sandbox/helpers.js';
import { linkIn, SmtpCapture } from '../support/smtp.js';
import { signIn, type Person } from '../support/sign-in.js';
import { createApiKey, ownTopic, useCases } from './token-management.fixtures.js';

const BASE = 'http://learn.acme.test';
const API = '/api/self-registration/v1';

describe('e2e: reports on a scripted journey (host contract 1.1)', function () {
  this.timeout(120_000);
  let t: TestSandbox;
  const smtp = new SmtpCapture();
  const contributors: ReportContributor[] = [];
  let admin: Person;
  let key: string;
  let topic: { id: string; title: string };
  let tokenId: string;
  let code: string;
  let ada: string;
  let staffId: string;

  before(async () => {
    await smtp.start();
    t = await startTestSandbox({ plugin: false, env: { PUBLIC_BASE_URL: BASE, SMTP_URL: smtp.url, TIME_ZONE: 'Europe/London' } });
    // The sandbox on this branch has no item reports yet: offer the 1.1 port, recording what the plugin contributes.
    (t.sandbox.host as { reports?: unknown }).reports = {
      contribute(c: ReportContributor) {
        contributors.push(c);
        return () => contributors.splice(contributors.indexOf(c), 1);
      },
    };
    await t.sandbox.loadPlugin({ options: { smtpUrl: smtp.url, outboxPollMs: 100, rateLimitIp: 'off' } });
    admin = await signIn(t, 'Super admin');
    key = await createApiKey(admin, 'Reports');
    topic = await ownTopic(t);
    const made = await useCases(t).createToken.execute((await t.sandbox.host.users.findById(admin.id))!, { type: 'topic', id: topic.id }, { nickname: 'Spring fair' });
    if (!made.ok) throw new Error(JSON.stringify(made.error));
    tokenId = made.value.id;
    code = made.value.code!;
  });
  after(async () => {
    await t?.destroy();
    await smtp.stop();
  });

  const api = (path: string, query: Record<string, string> = {}) => supertest(t.sandbox.app).get(`${API}${path}`).query(query).set({ Authorization: `Bearer ${key}` });
  const long = 'x'.repeat(300);
  const utm = `utm_source=newsletter&utm_medium=email&utm_campaign=spring%202026&utm_term=%3Cscript%3Ealert(1)%3C%2Fscript%3E&utm_content=${long}&utm_evil=1`;

  it('the plugin contributes its columns and token filter to the host’s item reports', async () => {
    expect(contributors).to.have.length(1);
    const d = await contributors[0]!.describe({ type: 'topic', id: topic.id });
    expect(d.columns.map((c) => c.label)).to.deep.equal(['Registered through', 'Registered at (Europe/London)', 'Account', 'Campaign']);
    expect(d.filters[0]!.options.map((o) => o.label)).to.include('Spring fair');
    expect(await contributors[0]!.usersMatching({ type: 'topic', id: topic.id }, {})).to.equal(null);
  });

  it('deep-link views are counted; a campaign travels in the form, hostile values refused or cut', async () => {
    const anon = supertest(t.sandbox.app);
    const page = await anon.get(`/register/${code}?${utm}`).expect(200);
    const sealed = /name="campaign" value="([^"]+)"/.exec(page.text)?.[1];
    expect(sealed).to.be.a('string');
    expect(page.text).to.not.contain('<script>alert');
    await anon.get(`/register/${code}?${utm}`).expect(200);
    const plain = await anon.get(`/register/${code}`).expect(200);
    expect(plain.text).to.not.contain('name="campaign"');

    const res = await anon.post('/register').type('form').send({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', token: code, campaign: sealed });
    expect(res.text).to.contain('Check your inbox');
    // A forged campaign is ignored; the existing account's campaign travels with its sign-in link.
    const staff = t.accounts['Staff learner']!;
    await anon.post('/register').type('form').send({ firstName: 'S', lastName: 'L', email: staff.email, token: code, campaign: sealed }).expect(200);
    const reg = await t.knex('selfreg_registrations').where({ token_id: tokenId });
    expect(reg).to.have.length(1);
    expect(reg[0]).to.include({ utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'spring 2026', utm_term: null, utm_content: 'x'.repeat(100), user_type: 'prospect' });
    ada = reg[0].user_id;
  });

  it('set password → activated; the sign-in link → an existing account’s registration with the campaign', async () => {
    const mails = await smtp.waitFor(2);
    const invitation = mails.find((m) => m.envelopeTo[0] === 'ada@example.com')!;
    const path = new URL(linkIn(invitation.parsed.text!, '/self-registration/invitation/')).pathname;
    const visitor = supertest.agent(t.sandbox.app);
    expect((await api('/reports/registrations', { token: tokenId, status: 'invited' })).body.total).to.equal(1);
    await visitor.post(path).type('form').send({ password: 'a-long-password-1', passwordConfirm: 'a-long-password-1' }).expect(303);
    const staff = t.accounts['Staff learner']!;
    const signInMail = mails.find((m) => m.envelopeTo[0] === staff.email.toLowerCase())!;
    const signInPath = new URL(linkIn(signInMail.parsed.text!, '/self-registration/sign-in/')).pathname;
    await supertest.agent(t.sandbox.app).post(signInPath).expect(303);
    const rows = (await api('/reports/registrations', { token: tokenId })).body.data as Record<string, any>[];
    expect(rows.map((r) => [r.user.email, r.newUser, r.status])).to.deep.equal([
      [staff.email.toLowerCase(), false, 'activated'],
      ['ada@example.com', true, 'activated'],
    ]);
    expect(rows[0]!.campaign).to.deep.include({ source: 'newsletter', campaign: 'spring 2026' });
    staffId = rows[0]!.user.id;
  });

  it('learning events: started and completed for registrants only, repeated events change nothing', async () => {
    const item = { type: 'topic' as const, id: topic.id };
    const events = t.sandbox.events;
    await events.emit('learning.started', { userId: ada, item, at: '2026-12-01T10:00:00Z' });
    await events.emit('learning.started', { userId: ada, item, at: '2026-12-01T11:00:00Z' });
    await events.emit('learning.progressed', { userId: ada, item, percent: 60, at: '2026-12-01T11:30:00Z' });
    await events.emit('learning.completed', { userId: ada, item, outcome: 'passed', score: 90, at: '2026-12-01T12:00:00Z' });
    await events.emit('learning.completed', { userId: ada, item, outcome: 'passed', score: 90, at: '2026-12-01T12:00:00Z' });
    await events.emit('learning.started', { userId: staffId, item, at: '2026-12-01T13:00:00Z' });
    await events.emit('learning.started', { userId: admin.id, item, at: '2026-12-01T13:00:00Z' });
    const row = await t.knex('selfreg_registrations').where({ user_id: ada }).first();
    expect(new Date(row.started_at).toISOString()).to.equal('2026-12-01T10:00:00.000Z');
    expect(row).to.include({ outcome: 'passed', score: 90, progress_percent: 100 });
    expect(await t.knex('selfreg_registrations').where({ user_id: admin.id })).to.have.length(0);
  });

  it('the usage report counts the funnel: 3 views → 2 registrations (1 new, 1 existing) → 2 activated → 2 started → 1 completed', async () => {
    const res = await api('/reports/usage').expect(200);
    expect(res.body.learningAvailable).to.equal(true);
    const row = (res.body.data as Record<string, any>[]).find((d) => d.token.id === tokenId)!;
    expect(row).to.deep.include({ views: 3, registrations: 2, newAccounts: 1, existingAccounts: 1, activated: 2, started: 2, completed: 1 });
    expect(row.conversion).to.deep.equal({ viewToRegistration: 0.667, registrationToActivation: 1, activationToStart: 1, startToCompletion: 0.5 });
    expect(res.body.totals).to.deep.include({ views: 3, registrations: 2, completed: 1 });
    const campaign = (res.body.campaigns as Record<string, any>[]).find((c) => c.source === 'newsletter')!;
    expect(campaign).to.deep.include({ medium: 'email', campaign: 'spring 2026', views: 2, registrations: 2 });
    expect((res.body.campaigns as Record<string, any>[]).find((c) => c.source === null)).to.deep.include({ views: 1, registrations: 0 });
    const csv = await api('/reports/usage').set('Accept', 'text/csv').expect(200);
    expect(csv.text.split('\r\n')[1]).to.match(new RegExp(`^${tokenId},Spring fair,topic,${topic.id},[^,]*,3,2,1,1,2,2,1,0\\.667,1,1,0\\.5$`));
  });

  it('the host’s item report gets the plugin’s values for its users, and the token filter', async () => {
    const values = await contributors[0]!.values({ type: 'topic', id: topic.id }, [ada, staffId, admin.id]);
    expect(values.get(ada)).to.deep.include({ registeredThrough: 'Spring fair', account: 'New', campaign: 'newsletter / email / spring 2026' });
    expect(values.get(ada)!.registeredAt).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    expect(values.has(admin.id)).to.equal(false);
    expect([...(await contributors[0]!.usersMatching({ type: 'topic', id: topic.id }, { selfregToken: tokenId }))!].sort()).to.deep.equal([ada, staffId].sort());
  });

  it('the registrations page shows the campaign and outcome, and the Tokens page’s use count links to it', async () => {
    const page = await admin.agent.get(`/admin/self-registration/reports/registrations?token=${tokenId}`).expect(200);
    expect(page.text).to.contain('Registrations through Spring fair').and.to.contain('newsletter / email / spring 2026').and.to.contain('Passed');
    const tokens = await admin.agent.get('/admin/self-registration/tokens').expect(200);
    expect(tokens.text).to.contain(`href="/admin/self-registration/reports/registrations?token=${tokenId}"`);
    const csv = await admin.agent.get(`/admin/self-registration/reports/registrations?token=${tokenId}&format=csv`).expect(200);
    expect(csv.text.split('\r\n')[0]).to.contain('First started at (Europe/London)').and.to.contain('Outcome');
  });

  it('learners and signed-out visitors are refused every report and export; an API key of a former admin too', async () => {
    const learner = await signIn(t, 'Staff learner');
    for (const path of ['/admin/self-registration/reports/registrations', '/admin/self-registration/reports/usage',
      '/admin/self-registration/reports/registrations?format=csv', '/admin/self-registration/reports/usage?format=csv&dialect=excel',
      `/admin/self-registration/reports/registrations?token=${tokenId}&format=csv`]) {
      const res = await learner.agent.get(path);
      expect(res.status, path).to.equal(403);
      expect(res.text, path).to.not.contain('ada@example.com');
      const anon = await supertest(t.sandbox.app).get(path);
      expect(anon.status, path).to.equal(303);
    }
    await supertest(t.sandbox.app).get(`${API}/reports/registrations`).expect(401);
    await t.knex('sandbox_users').where({ id: admin.id }).update({ role: null });
    try {
      for (const path of ['/reports/registrations', '/reports/usage']) {
        expect((await api(path)).status, path).to.equal(403);
        expect((await api(path).set('Accept', 'text/csv')).status, path).to.equal(403);
      }
    } finally {
      await t.knex('sandbox_users').where({ id: admin.id }).update({ role: 'super_admin' });
    }
  });
});
