/*
 * The reports port: a (fake) contributor's columns and filters in every item report, its values
 * asked a page of at most 1,000 users at a time, its filter intersected with the user type; the CSV
 * streamed in those pages, hostile names made text, and a failure part-way breaking the download.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import supertest from 'supertest';
import { sessionCookie, signedIn, startTestSandbox } from '../helpers.js';
import type { TestSandbox } from '../helpers.js';
import { fakeContributor, parseCsv, screenRows } from './report-support.js';
import type { FakeContributor } from './report-support.js';

const LEARNERS = 1500;

describe('sandbox reports with a contributor', function () {
  this.timeout(60_000);
  let t: TestSandbox;
  let admin: ReturnType<typeof supertest.agent>;
  let fake: FakeContributor;
  let off: () => void;
  let onboarding: string;
  let big: string;
  const ids: Record<string, string> = {};

  before(async () => {
    t = await startTestSandbox({ plugin: false });
    const users = await t.knex('sandbox_users').select('id', 'first_name', 'last_name');
    for (const u of users) ids[`${u.first_name} ${u.last_name}`] = String(u.id);
    onboarding = String((await t.knex('sandbox_items').where({ title: 'Customer onboarding essentials' }).first('id')).id);
    const [item] = await t.knex('sandbox_items').insert({ type: 'topic', title: 'Big topic', body: '', origin: 'own' }).returning('id');
    big = String((item as { id: number }).id);
    const hostile = [
      { first_name: '=HYPERLINK("http://evil.example","x")', last_name: 'Aaa', email: 'hyperlink@example.com', type: 'prospect' },
      { first_name: '+Plus', last_name: 'Aab', email: '-minus@example.com', type: 'client' },
      { first_name: '@Ada', last_name: 'Aac', email: 'at@example.com', type: 'staff' },
    ];
    const crowd = Array.from({ length: LEARNERS - hostile.length }, (_, i) => ({
      first_name: 'Learner', last_name: `N${String(i).padStart(5, '0')}`, email: `n${i}@example.com`, type: (['staff', 'client', 'prospect'] as const)[i % 3],
    }));
    const rows = await t.knex('sandbox_users').insert([...hostile, ...crowd].map((u) => ({ ...u, status: 'active' }))).returning('id');
    await t.knex('sandbox_enrolments').insert(rows.map((r: { id: number }) => ({ user_id: r.id, item_type: 'topic', item_id: big, source: 'test' })));
    admin = await signedIn(t.sandbox, t.accounts['Super admin']!.email, t.accounts['Super admin']!.password);
  });
  beforeEach(() => {
    fake = fakeContributor();
    off = t.sandbox.host.reports!.contribute(fake);
  });
  afterEach(() => off());
  after(async () => t?.destroy());

  it('asks describe() for the item and shows its column and filter on screen and in the CSV', async () => {
    fake.through.set(ids['Olu Adeyemi']!, 'Spring fair');
    const page = await admin.get(`/admin/items/topic/${onboarding}/reports/logins`).expect(200);
    expect(fake.calls.describe).to.deep.equal([{ type: 'topic', id: onboarding }]);
    expect(page.text).to.contain('<th scope="col">Registered through</th>').and.to.contain('<select name="selfregToken">').and.to.contain('>Spring fair</option>');
    expect(screenRows(page.text).find((r) => r[0] === 'Olu Adeyemi')!.at(-1)).to.equal('Spring fair');
    for (const report of ['progress', 'outcomes', 'answers']) {
      const csv = parseCsv((await admin.get(`/admin/items/topic/${onboarding}/reports/${report}/export`).expect(200)).text);
      expect(csv[0]!.at(-1), report).to.equal('Registered through');
      expect(csv.find((r) => r[0] === 'Olu Adeyemi')!.at(-1), report).to.equal('Spring fair');
      expect(csv.find((r) => r[0] === 'Priya Shah')!.at(-1), report).to.equal('');
    }
    expect(fake.calls.describe).to.have.length(4);
    expect(fake.calls.values.every((c) => c.item.type === 'topic' && c.item.id === onboarding)).to.equal(true);
  });

  it('intersects usersMatching() with the user type; no plugin filter chosen passes {} and narrows nothing', async () => {
    fake.kept = [ids['Olu Adeyemi']!, ids['Jo Martin']!, ids['Priya Shah']!, 'not-a-user'];
    const base = `/admin/items/topic/${onboarding}/reports/progress`;
    const prospects = screenRows((await admin.get(`${base}?userType=prospect&selfregToken=spring`).expect(200)).text);
    expect(prospects.map((r) => r[0])).to.deep.equal(['Olu Adeyemi', 'Jo Martin']);
    const csv = parseCsv((await admin.get(`${base}/export?userType=staff&selfregToken=spring`).expect(200)).text).slice(1);
    expect(csv.map((r) => r[0])).to.deep.equal(['Priya Shah']);
    expect(fake.calls.usersMatching.at(-1)).to.deep.equal({ item: { type: 'topic', id: onboarding }, chosen: { selfregToken: 'spring' } });
    const unfiltered = screenRows((await admin.get(`${base}?userType=prospect`).expect(200)).text);
    expect(unfiltered.map((r) => r[0])).to.deep.equal(['Olu Adeyemi', 'Jo Martin', 'Femi Okafor']);
    expect(fake.calls.usersMatching.at(-1)!.chosen).to.deep.equal({});
    // A value the filter does not offer is not a choice.
    await admin.get(`${base}?selfregToken=autumn`).expect(200);
    expect(fake.calls.usersMatching.at(-1)!.chosen).to.deep.equal({});
    const page = await admin.get(`${base}?selfregToken=spring`).expect(200);
    expect(page.text).to.contain('<option value="spring" selected>Spring fair</option>');
    expect(page.text).to.contain(`href="${base}/export?selfregToken=spring&amp;dialect=excel"`);
  });

  it('pages the screen (50 rows) and asks values() for that page\'s users only', async () => {
    const res = await admin.get(`/admin/items/topic/${big}/reports/logins?page=2`).expect(200);
    expect(res.text).to.contain(`Showing 51–100 of ${LEARNERS}`).and.to.contain('Page 2 of 30');
    expect(res.text).to.contain(`href="/admin/items/topic/${big}/reports/logins?page=3"`).and.to.contain(`href="/admin/items/topic/${big}/reports/logins"`);
    expect(screenRows(res.text)).to.have.length(50);
    expect(fake.calls.values).to.have.length(1);
    expect(fake.calls.values[0]!.ids).to.have.length(50);
  });

  it('streams the whole CSV in pages of at most 1,000 users and makes hostile names text', async () => {
    const res = await admin.get(`/admin/items/topic/${big}/reports/logins/export`).expect(200);
    const csv = parseCsv(res.text);
    expect(csv).to.have.length(LEARNERS + 1);
    expect(fake.calls.values.map((c) => c.ids.length)).to.deep.equal([1000, 500]);
    expect(new Set(fake.calls.values.flatMap((c) => c.ids)).size).to.equal(LEARNERS);
    expect(csv[1]!.slice(0, 3)).to.deep.equal(['\'=HYPERLINK("http://evil.example","x") Aaa', 'hyperlink@example.com', 'Prospect']);
    expect(csv[2]!.slice(0, 2)).to.deep.equal(["'+Plus Aab", "'-minus@example.com"]);
    expect(csv[3]![0]).to.equal("'@Ada Aac");
    expect(res.text).to.contain('"\'=HYPERLINK(""http://evil.example"",""x"") Aaa"');
  });

  it('lets the contributor query the host\'s database while the CSV is being streamed', async () => {
    fake.onValues = () => t.knex('sandbox_users').count({ n: '*' });
    const csv = parseCsv((await admin.get(`/admin/items/topic/${big}/reports/progress/export`).expect(200)).text);
    expect(csv).to.have.length(LEARNERS + 1);
    expect(fake.calls.values.map((c) => c.ids.length)).to.deep.equal([1000, 500]);
  });

  it('breaks the download when a page fails part-way: the client never gets a complete-looking file', async () => {
    fake.failOnValuesCall = 2;
    const server = t.sandbox.app.listen(0, '127.0.0.1');
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const login = await supertest(t.sandbox.app).post('/login').type('form').send({ email: t.accounts['Super admin']!.email, password: t.accounts['Super admin']!.password });
      const cookie = `sandbox.sid=${sessionCookie(login)!}`;
      const { port } = server.address() as AddressInfo;
      const outcome = await new Promise<{ status: number; complete: boolean; body: string; error: string | null }>((resolve) => {
        const req = http.get({ host: '127.0.0.1', port, path: `/admin/items/topic/${big}/reports/logins/export`, headers: { cookie } }, (res) => {
          let body = '';
          let error: string | null = null;
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('error', (e) => (error = e.message));
          res.on('close', () => resolve({ status: res.statusCode ?? 0, complete: res.complete, body, error }));
        });
        req.on('error', (e) => resolve({ status: 0, complete: false, body: '', error: e.message }));
      });
      expect(outcome.status).to.equal(200);
      expect(outcome.complete, 'the response ended as if complete').to.equal(false);
      expect(outcome.error).to.be.a('string');
      expect(outcome.body.split('\r\n').length - 1).to.be.lessThan(LEARNERS + 1);
      expect(t.sandbox.logger.entries.some((e) => e.message.includes('export failed part-way'))).to.equal(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('takes a contributor off again, and keeps the report when one cannot describe itself', async () => {
    off();
    const plain = await admin.get(`/admin/items/topic/${onboarding}/reports/logins`).expect(200);
    expect(plain.text).not.to.contain('Registered through');
    const broken = { ...fakeContributor(), describe: async () => Promise.reject(new Error('down')) };
    const offBroken = t.sandbox.host.reports!.contribute(broken);
    try {
      const res = await admin.get(`/admin/items/topic/${onboarding}/reports/logins`).expect(200);
      expect(res.text).to.contain('could not be loaded');
      expect(screenRows(res.text)).to.have.length(9);
    } finally {
      offBroken();
    }
    off = t.sandbox.host.reports!.contribute(fake);
  });
});
