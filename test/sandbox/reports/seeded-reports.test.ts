/*
 * The Reports tab on the first start's demo learners: each report filtered by each user type gives
 * the right people and only them, the same on screen and in the CSV; learners and visitors are refused.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { signedIn, startTestSandbox } from '../helpers.js';
import type { TestSandbox } from '../helpers.js';
import { parseCsv, screenRows } from './report-support.js';

const STAFF = ['Tom Evans', 'Aisha Khan', 'Priya Shah'];
const CLIENT = ['Lena Novak', 'Marco Rossi', 'Hana Sato'];
const PROSPECT = ['Olu Adeyemi', 'Jo Martin', 'Femi Okafor'];
const ALL = ['Olu Adeyemi', 'Tom Evans', 'Aisha Khan', 'Jo Martin', 'Lena Novak', 'Femi Okafor', 'Marco Rossi', 'Hana Sato', 'Priya Shah'];
const BY_TYPE: Record<string, string[]> = { '': ALL, staff: STAFF, client: CLIENT, prospect: PROSPECT };
const ANSWERED: Record<string, string[]> = {
  '': ['Olu Adeyemi', 'Lena Novak', 'Femi Okafor', 'Marco Rossi', 'Priya Shah'],
  staff: ['Priya Shah'], client: ['Lena Novak', 'Marco Rossi'], prospect: ['Olu Adeyemi', 'Femi Okafor'],
};

describe('sandbox reports on the seeded learners', function () {
  let t: TestSandbox;
  let admin: ReturnType<typeof supertest.agent>;
  let base: string;

  before(async () => {
    t = await startTestSandbox({ plugin: false });
    const topic = await t.knex('sandbox_items').where({ title: 'Customer onboarding essentials' }).first('id');
    base = `/admin/items/topic/${topic.id}/reports`;
    admin = await signedIn(t.sandbox, t.accounts['Standard admin']!.email, t.accounts['Standard admin']!.password);
  });
  after(async () => t?.destroy());

  async function both(report: string, userType: string): Promise<{ screen: string[][]; csv: string[][] }> {
    const query = userType ? `?userType=${userType}` : '';
    const page = await admin.get(`${base}/${report}${query}`).expect(200);
    const file = await admin.get(`${base}/${report}/export${query}`).expect(200).expect('content-type', /text\/csv/);
    return { screen: screenRows(page.text), csv: parseCsv(file.text).slice(1) };
  }

  for (const report of ['logins', 'progress', 'outcomes']) {
    for (const userType of ['', 'staff', 'client', 'prospect']) {
      it(`${report}, user type ${userType || 'all'}: exactly those learners, on screen and in the CSV`, async () => {
        const { screen, csv } = await both(report, userType);
        expect(screen.map((r) => r[0])).to.deep.equal(BY_TYPE[userType]);
        expect(csv.map((r) => r[0])).to.deep.equal(BY_TYPE[userType]);
        const label = { '': null, staff: 'Staff', client: 'Client', prospect: 'Prospect' }[userType];
        if (label) expect(csv.every((r) => r[2] === label)).to.equal(true);
      });
    }
  }

  for (const userType of ['', 'staff', 'client', 'prospect']) {
    it(`answers, user type ${userType || 'all'}: three answers of each learner who took the quiz, and no one else`, async () => {
      const { screen, csv } = await both('answers', userType);
      const expected = ANSWERED[userType]!.flatMap((name) => [name, name, name]);
      expect(csv.map((r) => r[0])).to.deep.equal(expected);
      expect(screen.map((r) => r[0])).to.deep.equal(expected);
      expect(csv.slice(0, 3).map((r) => r[3])).to.deep.equal(['When should the first call happen?', 'What do you agree on the first call?', 'When is the check-in?']);
    });
  }

  it('shows each learner\'s figures: sign-ins, progress, outcome and score, answers', async () => {
    const logins = parseCsv((await admin.get(`${base}/logins/export?userType=staff`).expect(200)).text);
    expect(logins[0]!.slice(0, 5)).to.deep.equal(['Name', 'Email', 'User type', 'Enrolled at (Europe/London)', 'Sign-ins']);
    expect(logins.slice(1).map((r) => [r[0], r[4]])).to.deep.equal([['Tom Evans', '1'], ['Aisha Khan', '0'], ['Priya Shah', '3']]);
    const progress = parseCsv((await admin.get(`${base}/progress/export?userType=staff`).expect(200)).text);
    expect(progress.slice(1).map((r) => [r[0], r[3], r[4], r[5]])).to.deep.equal([
      ['Tom Evans', 'In progress', '25', '1'], ['Aisha Khan', 'Not started', '0', '0'], ['Priya Shah', 'Completed', '100', '3'],
    ]);
    const outcomes = parseCsv((await admin.get(`${base}/outcomes/export?userType=client`).expect(200)).text);
    expect(outcomes[0]![5]).to.equal('Score (%, pass mark 60)');
    expect(outcomes.slice(1).map((r) => [r[0], r[4], r[5]])).to.deep.equal([['Lena Novak', 'Failed', '33'], ['Marco Rossi', 'Passed', '67'], ['Hana Sato', '', '']]);
    const answers = parseCsv((await admin.get(`${base}/answers/export?userType=client`).expect(200)).text);
    expect(answers.slice(1, 4).map((r) => [r[4], r[5]])).to.deep.equal([['Within one working day', 'Yes'], ['The price', 'No'], ['After a year', 'No']]);
  });

  it('names the report, the item and the day in the file name; Excel\'s dialect starts with a BOM, the plain one does not', async () => {
    const plain = await admin.get(`${base}/progress/export?userType=client`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    const id = base.split('/')[4];
    expect(plain.headers['content-disposition']).to.equal(`attachment; filename="progress-topic-${id}-customer-onboarding-essentials-${day}.csv"`);
    expect((plain.body as Buffer).subarray(0, 4).toString('utf8')).to.equal('Name');
    const excel = await admin.get(`${base}/progress/export?userType=client&dialect=excel`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect([...(excel.body as Buffer).subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    expect((excel.body as Buffer).subarray(3).toString('utf8')).to.equal((plain.body as Buffer).toString('utf8'));
  });

  it('keeps the filters in the tabs, the pager and both CSV links', async () => {
    const page = await admin.get(`${base}/outcomes?userType=prospect`).expect(200);
    expect(page.text).to.contain(`href="${base}/logins?userType=prospect"`);
    expect(page.text).to.contain(`href="${base}/outcomes/export?userType=prospect"`);
    expect(page.text).to.contain(`href="${base}/outcomes/export?userType=prospect&amp;dialect=excel"`);
    expect(page.text).to.match(/<option value="prospect" selected>Prospect<\/option>/);
    expect(page.text).to.contain('aria-current="page">Reports</a>');
  });

  it('sends the Reports tab to the logins report; unknown reports and items are 404', async () => {
    expect((await admin.get(base).expect(303)).headers.location).to.equal(`${base}/logins`);
    await admin.get(`${base}/grades`).expect(404);
    await admin.get('/admin/items/topic/99999/reports/logins').expect(404);
    await admin.get('/admin/items/topic/99999/reports/logins/export').expect(404);
  });

  it('refuses learners every report and export, and sends visitors to sign in', async () => {
    const learner = await signedIn(t.sandbox, t.accounts['Staff learner']!.email, t.accounts['Staff learner']!.password);
    for (const path of [base, `${base}/logins`, `${base}/answers?userType=staff`, `${base}/progress/export`, `${base}/answers/export?dialect=excel`]) {
      const res = await learner.get(path).expect(403);
      expect(res.text).not.to.contain('Priya');
      expect(res.headers['content-type']).to.match(/text\/html/);
      const anonymous = await supertest(t.sandbox.app).get(path).expect(303);
      expect(anonymous.headers.location).to.equal(`/login?returnTo=${encodeURIComponent(path)}`);
    }
  });
});
