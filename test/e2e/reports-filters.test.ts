/*
 * The registrations report over the API, on registrations seeded with known user types, steps,
 * tokens, items and dates: each filter by each user type keeps exactly the right rows; cursor pages
 * walk them all; the CSV holds the same rows, formula-safe, with the time zone in its header.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { startRegistrationSandbox, type RegistrationSandbox } from './registration-helpers.js';
import { createApiKey } from './token-management.fixtures.js';
import { signIn } from '../support/sign-in.js';
import { expected, seedRegistrations, STEPS, USER_TYPES, type Seeded } from './reports.fixtures.js';
import { parse } from 'csv-parse/sync';

const API = '/api/self-registration/v1';

describe('e2e: the registrations report’s filters, pages and CSV', function () {
  this.timeout(120_000);
  let s: RegistrationSandbox;
  let key: string;
  let rows: Seeded[];
  let tokens: { id: string; item: { type: 'topic' | 'article' | 'pathway'; id: string }; nickname: string }[];

  before(async () => {
    s = await startRegistrationSandbox({ env: { TIME_ZONE: 'Europe/London' }, withoutReports: true });
    const admin = await signIn(s.t, 'Super admin');
    key = await createApiKey(admin, 'Reports');
    const a1 = await s.token(s.items.topic.ref, { nickname: 'Topic fair' });
    const a2 = await s.token(s.items.topic.ref, { nickname: 'Topic mail' });
    const b1 = await s.token(s.items.article.ref, { nickname: 'Article post' });
    tokens = [a1, a2, b1].map((t) => ({ id: t.id, item: t.item, nickname: t.nickname! }));
    rows = await seedRegistrations(s.knex, tokens);
  });
  after(() => s?.close());

  const get = (query: Record<string, string>, accept = 'application/json') =>
    supertest(s.t.sandbox.app).get(`${API}/reports/registrations`).query(query).set({ Authorization: `Bearer ${key}`, Accept: accept });

  /** Every id the API answers for a filter, following its cursor. */
  async function all(query: Record<string, string>): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Record<string, string> = { ...query, limit: '7', ...(cursor ? { cursor } : {}) };
      const res: { body: { data: { id: string }[]; nextCursor: string | null } } = await get(page).expect(200);
      ids.push(...res.body.data.map((d) => d.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    return ids;
  }

  it('each filter by each user type keeps the right rows and only those', async () => {
    const from = new Date(Date.UTC(2026, 10, 5));
    const to = new Date(Date.UTC(2026, 10, 12));
    for (const userType of [undefined, ...USER_TYPES]) {
      const base: Record<string, string> = userType ? { userType } : {};
      const cases: [Record<string, string>, Parameters<typeof expected>[1]][] = [
        [{}, {}],
        [{ item: `topic:${s.items.topic.id}` }, { item: s.items.topic.ref }],
        [{ item: `article:${s.items.article.id}` }, { item: s.items.article.ref }],
        ...tokens.map((t): [Record<string, string>, Parameters<typeof expected>[1]] => [{ token: t.id }, { tokenId: t.id }]),
        ...STEPS.map((step): [Record<string, string>, Parameters<typeof expected>[1]] => [{ status: step }, { step }]),
        [{ from: '2026-11-05', to: '2026-11-11' }, { from, to }],
        [{ token: tokens[0]!.id, status: 'started', from: '2026-11-01' }, { tokenId: tokens[0]!.id, step: 'started', from: new Date(Date.UTC(2026, 10, 1)) }],
      ];
      for (const [query, filter] of cases) {
        const want = expected(rows, { ...filter, ...(userType && { userType }) });
        const got = await all({ ...base, ...query });
        expect(got, JSON.stringify({ ...base, ...query })).to.deep.equal(want);
        const first = await get({ ...base, ...query }).expect(200);
        expect(first.body.total, JSON.stringify(query)).to.equal(want.length);
      }
    }
  });

  it('each row carries the person, the steps and the campaign; a 1.0-style host without reports says learning is not available', async () => {
    const res = await get({ token: tokens[0]!.id, limit: '100' }).expect(200);
    expect(res.body.learningAvailable).to.equal(false);
    expect(res.body.timeZone).to.equal('Europe/London');
    const seeded = rows.find((r) => r.tokenId === tokens[0]!.id && r.step === 'activated' && r.userType === 'client')!;
    const row = (res.body.data as Record<string, unknown>[]).find((d) => d.id === seeded.id)!;
    expect(row).to.deep.include({ newUser: seeded.newUser, tokenNickname: 'Topic fair', status: 'activated', startedAt: null, completedAt: null });
    expect(row.user).to.deep.include({ type: 'client', firstName: seeded.firstName });
    expect(row.registeredAt).to.equal(seeded.at.toISOString());
  });

  it('refuses a bad filter naming the field', async () => {
    for (const [field, value] of [['userType', 'admin'], ['status', 'done'], ['from', '2026-13-01'], ['token', 'x'], ['item', 'course:1']]) {
      const res = await get({ [field!]: value! }).expect(400);
      expect(res.body.error).to.deep.include({ code: 'VALIDATION.FAILED', field });
    }
    expect((await get({ colour: 'red' }).expect(400)).body.error.field).to.equal('colour');
  });

  it('Accept: text/csv answers the same rows as CSV: RFC 4180, formula-safe names, the time zone in the header', async () => {
    const res = await get({}, 'text/csv').buffer(true).parse((r, cb) => {
      const parts: Buffer[] = [];
      r.on('data', (c: Buffer) => parts.push(c));
      r.on('end', () => cb(null, Buffer.concat(parts)));
    }).expect(200);
    expect(res.headers['content-type']).to.match(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).to.match(/^attachment; filename="registrations_portal_\d{4}-\d{2}-\d{2}\.csv"$/);
    const body = (res.body as Buffer).toString('utf8');
    expect(body.charCodeAt(0)).to.not.equal(0xfeff);
    expect(body).to.contain('\r\n');
    const records = parse(body, { relax_column_count: false }) as string[][];
    const header = records[0]!;
    expect(header).to.include('Registered at (Europe/London)').and.to.include('Invitation accepted at (Europe/London)');
    expect(header).to.not.include('First started at (Europe/London)');
    const want = expected(rows, {});
    expect(records.length - 1).to.equal(want.length);
    const names = records.slice(1).map((r) => r[0]!);
    expect(names.some((n) => n.startsWith(`'=HYPERLINK("http://evil.example","x")`))).to.equal(true);
    expect(names.some((n) => n.startsWith("'+Plus"))).to.equal(true);
    expect(names.some((n) => n.startsWith("'-Minus"))).to.equal(true);
    expect(names.some((n) => n.startsWith("'@At"))).to.equal(true);
    expect(names.some((n) => n === 'Ada, "the first" Seed4' || n.startsWith('Ada, "the first"'))).to.equal(true);
    for (const n of names) expect(n, n).to.not.match(/^[=+\-@]/);
    const at = header.indexOf('Registered at (Europe/London)');
    expect(records[1]![at]).to.match(/^2026-11-\d{2}T12:00:00\+00:00$/);
    const tokenIdCol = header.indexOf('Token id');
    expect(records[1]![tokenIdCol]).to.match(/^\d+$/);
  });

  it('the Excel dialect starts with a byte-order mark', async () => {
    const res = await get({ token: tokens[2]!.id, dialect: 'excel' }, 'text/csv').buffer(true).parse((r, cb) => {
      const parts: Buffer[] = [];
      r.on('data', (c: Buffer) => parts.push(c));
      r.on('end', () => cb(null, Buffer.concat(parts)));
    }).expect(200);
    expect([...(res.body as Buffer).subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    expect(res.headers['content-disposition']).to.contain(`registrations_token-${tokens[2]!.id}_`);
  });
});
