/*
 * The test list at the end of security.md, for the registration side (the CSV items belong to the
 * export issue; "over the limit every instance answers 429" and "N parallel registrations" have
 * suites of their own: registration-rate-limits and concurrency-registration). Real SMTP on
 * loopback, the sandbox host, and, for the outage, a real PostgreSQL behind a TCP proxy we cut.
 */
import net, { type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import supertest from 'supertest';
import type { Knex } from 'knex';
import { TYPES } from '../../src/container/types.js';
import type { BrandingService } from '../../src/application/branding/branding.service.js';
import { createSandbox } from '../../sandbox/app.js';
import { createKnex, migrateSandbox } from '../../sandbox/db.js';
import { seedDemo } from '../../sandbox/seed.js';
import { createTestDatabase } from '../support/database.js';
import { linkIn, SmtpCapture } from '../support/smtp.js';
import { signedIn, sessionCookie, testConfig } from '../sandbox/helpers.js';
import { count, NO_LIMITS, startRegistrationSandbox, type RegistrationSandbox } from './registration-helpers.js';

const BASE = 'https://learn.acme.test';
const XSS = '"><img src=x onerror=alert(1)>';
const XSS_ESCAPED = '&#34;&gt;&lt;img src=x onerror=alert(1)&gt;';

describe('security: the registration side of security.md’s test list', function () {
  this.timeout(90_000);
  let s: RegistrationSandbox;
  const smtp = new SmtpCapture();
  let code: string;
  const anon = () => supertest(s.t.sandbox.app);
  const form = (extra: Record<string, string> = {}) => ({ firstName: 'Ada', lastName: 'Lovelace', token: code, ...extra });
  /** Waits until the outbox has delivered everything queued so far; returns the count of mails received (a mark). */
  const settled = async (): Promise<number> => {
    for (let i = 0; i < 200; i++) {
      const pending = Number((await s.knex('selfreg_outbox').whereIn('status', ['queued', 'sending']).count({ n: '*' }).first())?.n ?? 0);
      if (pending === 0) return smtp.messages.length;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the outbox did not drain');
  };
  /** The newest mail to `to` that arrived after `mark` (a count of smtp.messages), waiting for it. */
  const mailTo = async (to: string, mark: number, kind = '') => {
    for (let i = 0; i < 200; i++) {
      const mail = smtp.messages.slice(mark).reverse().find((m) => m.envelopeTo[0] === to.toLowerCase() && (m.parsed.text ?? '').includes(kind));
      if (mail) return mail;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no mail to ${to}`);
  };
  /** The path of the emailed link in the newest mail to `to` since `mark`. */
  const linkPath = async (to: string, kind: 'invitation' | 'sign-in', mark: number) =>
    new URL(linkIn((await mailTo(to, mark, `/self-registration/${kind}/`)).parsed.text!, `/self-registration/${kind}/`)).pathname;

  before(async () => {
    await smtp.start();
    // An http base URL, so the sandbox's session cookie is not Secure and test agents keep it.
    s = await startRegistrationSandbox({ env: { SMTP_URL: smtp.url, PUBLIC_BASE_URL: 'http://learn.acme.test' }, options: { ...NO_LIMITS, smtpUrl: smtp.url, mailRetryBaseMs: 50 } });
    code = (await s.token(s.items.topic.ref, { nickname: 'Security' })).code!;
  });
  after(async () => {
    await s?.close();
    await smtp.stop();
  });

  describe('no enumeration', () => {
    it('a known email, a pending invitation, a suspended account and a visitor signed in as someone else all get the bytes a new email gets', async () => {
      // A pending invitation: registered once, never accepted.
      await anon().post('/register').type('form').send(form({ email: 'pending@example.com' })).expect(200);
      const suspended = 'suspended@example.com';
      await s.knex('sandbox_users').insert({ email: suspended, first_name: 'Sus', last_name: 'Pended', type: 'client', role: null, status: 'suspended', created_at: new Date() });
      const staff = s.t.accounts['Staff learner']!;
      const other = await signedIn(s.t.sandbox, s.t.accounts['Client learner']!.email, s.t.accounts['Client learner']!.password);

      const fresh = await anon().post('/register').type('form').send(form({ email: 'brand.new@example.com' }));
      const answers = {
        known: await anon().post('/register').type('form').send(form({ email: staff.email })),
        pending: await anon().post('/register').type('form').send(form({ email: 'PENDING@example.com' })),
        suspended: await anon().post('/register').type('form').send(form({ email: suspended })),
        signedInAsOther: await other.post('/register').type('form').send(form({ email: staff.email })),
      };
      const shape = (res: supertest.Response) => {
        const { date: _date, ...headers } = res.headers as Record<string, unknown>;
        return { status: res.status, body: res.text, headers };
      };
      for (const [name, res] of Object.entries(answers)) {
        expect(shape(res), name).to.deep.equal(shape(fresh));
        expect(res.headers['set-cookie'], name).to.equal(undefined);
      }
    });

    it('with no seat left, new and known emails again get the same bytes', async () => {
      const used = await count(s.knex, 'sandbox_users');
      await s.knex('sandbox_portal').where({ id: 1 }).update({ seat_limit: used });
      try {
        const fresh = await anon().post('/register').type('form').send(form({ email: 'no.seat@example.com' }));
        const known = await anon().post('/register').type('form').send(form({ email: s.t.accounts['Staff learner']!.email }));
        expect(known.status).to.equal(422);
        expect([known.status, known.text]).to.deep.equal([fresh.status, fresh.text]);
      } finally {
        await s.knex('sandbox_portal').where({ id: 1 }).update({ seat_limit: null });
      }
    });
  });

  describe('emailed links', () => {
    it('a GET never consumes; the link works once; reused or expired it fails; a sign-in changes the session id', async () => {
      const mark = await settled();
      const staff = s.t.accounts['Staff learner']!;
      await anon().post('/register').type('form').send(form({ email: staff.email })).expect(200);
      const path = await linkPath(staff.email, 'sign-in', mark);
      await anon().get(path).expect(200);
      await anon().get(path).expect(200);

      // A visitor who already has a session (signed in as someone else) uses the link.
      const client = s.t.accounts['Client learner']!;
      const agent = supertest.agent(s.t.sandbox.app);
      const oldCookie = sessionCookie(await agent.post('/login').type('form').send({ email: client.email, password: client.password }).expect(303));
      expect(oldCookie).to.be.a('string');
      const used = await agent.post(path).expect(303);
      const after = sessionCookie(used);
      expect(after, 'a new session cookie').to.be.a('string');
      expect(after).not.to.equal(oldCookie);
      // The old session id no longer signs anyone in.
      const replay = await anon().get('/').set('Cookie', `sandbox.sid=${oldCookie}`);
      expect(replay.status).to.equal(303);
      expect(replay.headers.location).to.match(/^\/login/);
      // The agent is now the link's account.
      expect((await agent.get('/').expect(200)).text).to.contain('Welcome, Sam');

      await anon().post(path).expect(410).expect(/already been used/);
    });

    it('an expired sign-in link (30 minutes) and an expired invitation (72 hours) fail, and stay unused', async () => {
      const mark = await settled();
      await anon().post('/register').type('form').send(form({ email: s.t.accounts['Standard admin']!.email })).expect(200);
      await anon().post('/register').type('form').send(form({ email: 'late.invitee@example.com' })).expect(200);
      const signIn = await linkPath(s.t.accounts['Standard admin']!.email, 'sign-in', mark);
      const invitation = await linkPath('late.invitee@example.com', 'invitation', mark);
      const start = Date.now();
      try {
        s.t.sandbox.clock.set(new Date(start + 30 * 60 * 1000 + 1000));
        await anon().get(signIn).expect(410).expect(/expired/);
        await anon().post(signIn).expect(410).expect(/expired/);
        await anon().get(invitation).expect(200);
        s.t.sandbox.clock.set(new Date(start + 72 * 60 * 60 * 1000 + 1000));
        await anon().post(invitation).type('form').send({ password: 'a-long-password-1', passwordConfirm: 'a-long-password-1' }).expect(410).expect(/expired/);
      } finally {
        s.t.sandbox.clock.set(null);
      }
      const ids = (await s.knex('sandbox_users').whereIn('email', [s.t.accounts['Standard admin']!.email, 'late.invitee@example.com']).pluck('id')).map(String);
      expect(await s.knex('selfreg_email_links').whereIn('user_id', ids).whereNotNull('used_at').pluck('id')).to.deep.equal([]);
      const user = await s.knex('sandbox_users').where({ email: 'late.invitee@example.com' }).first();
      expect(user.password_hash).to.equal(null);
    });

    it('Host and X-Forwarded-Host headers do not change the links in the mail', async () => {
      const mark = await settled();
      await anon().post('/register').type('form').set('Host', 'evil.example').set('X-Forwarded-Host', 'evil.example').send(form({ email: 'hosted@example.com' })).expect(200);
      await anon().post('/register').type('form').set('Host', 'evil.example').send(form({ email: s.t.accounts['Client learner']!.email })).expect(200);
      const mails = [await mailTo('hosted@example.com', mark), await mailTo(s.t.accounts['Client learner']!.email, mark)];
      for (const m of mails) {
        expect(m.raw).not.to.contain('evil.example');
        expect(linkIn(m.parsed.text!, '/self-registration/').startsWith('http://learn.acme.test/self-registration/')).to.equal(true);
      }
    });
  });

  describe(`markup in names and titles is inert: <script> and ${XSS}`, () => {
    it('in pages: a refused form echoes it escaped; item titles and account names print escaped', async () => {
      const res = await anon().post('/register').type('form').send(form({ firstName: XSS, lastName: '<script>alert(1)</script>', email: 'x@example.com' })).expect(422);
      expect(res.text).not.to.contain('<img src=x').and.not.to.contain('<script>alert');
      expect(res.text).to.contain(`value="${XSS_ESCAPED}"`);

      await s.knex('sandbox_items').where({ id: Number(s.items.pathway.id), type: 'pathway' }).update({ title: `Path ${XSS}<script>alert(2)</script>` });
      const pathway = (await s.token(s.items.pathway.ref)).code!;
      const page = await anon().get(`/register/${pathway}`).expect(200);
      expect(page.text).not.to.contain('<img src=x').and.not.to.contain('<script>alert(2)');
      expect(page.text).to.contain(`Path ${XSS_ESCAPED}&lt;script&gt;alert(2)&lt;/script&gt;`);
    });

    it('in emails: a host account named with markup, and an item titled with it, are escaped in the HTML part', async () => {
      const mark = await settled();
      const client = s.t.accounts['Client learner']!;
      await s.knex('sandbox_users').where({ email: client.email }).update({ first_name: XSS });
      const pathway = (await s.token(s.items.pathway.ref)).code!;
      await anon().post('/register').type('form').send(form({ email: client.email, token: pathway })).expect(200);
      await anon().post('/register').type('form').send(form({ email: 'html.mail@example.com', token: pathway })).expect(200);
      const mails = [await mailTo(client.email, mark), await mailTo('html.mail@example.com', mark)];
      for (const m of mails) {
        expect(String(m.parsed.html)).not.to.contain('<img src=x').and.not.to.contain('<script>alert');
        expect(String(m.parsed.subject)).not.to.contain('<img');
      }
      const signIn = mails[0]!;
      expect(String(signIn.parsed.html)).to.match(/Hello (&#34;|&quot;)&gt;&lt;img src=x onerror=alert\(1\)&gt;/);
      await s.knex('sandbox_users').where({ email: client.email }).update({ first_name: 'Chris' });
    });

    it('in panels: the Registration page panel and the public page print branding text escaped', async () => {
      const adminAccount = s.t.accounts['Super admin']!;
      const admin = (await s.t.sandbox.host.users.findByEmail(adminAccount.email))!;
      const saved = await s.plugin.container.get<BrandingService>(TYPES.BrandingService).update(admin, {
        primaryColour: '#1f5fbf', accentColour: '#ffbf47', heading: XSS, introduction: `<script>alert(3)</script>\n${XSS}`, successMessage: XSS,
      });
      expect(saved.ok).to.equal(true);
      const agent = await signedIn(s.t.sandbox, adminAccount.email, adminAccount.password);
      const panel = await agent.get('/admin/portal').expect(200);
      const publicPage = await anon().get('/register').expect(200);
      for (const html of [panel.text, publicPage.text]) {
        expect(html).not.to.contain('<img src=x').and.not.to.contain('<script>alert(3)');
        expect(html).to.contain(XSS_ESCAPED);
      }
      // The panel's only scripts are files, never inline code with data in it.
      expect(panel.text.match(/<script[^>]*>/g)?.filter((tag) => !/ src="\/self-registration\/assets\/[a-z-]+\.js"/.test(tag)) ?? []).to.deep.equal([]);
      await s.plugin.container.get<BrandingService>(TYPES.BrandingService).update(admin, { primaryColour: '#1f5fbf', accentColour: '#ffbf47' });
    });
  });

  describe('errors', () => {
    it('a throwing handler gives the host’s generic 500: no stack, SQL or constraint name', async () => {
      const fresh = (await s.token(s.items.article.ref)).code!;
      const catalogue = s.t.sandbox.host.catalogue;
      const original = catalogue.get;
      catalogue.get = async () => {
        throw Object.assign(new Error('duplicate key value violates unique constraint "sandbox_items_pkey" in SELECT * FROM sandbox_items'), { code: '23505' });
      };
      try {
        const res = await anon().get(`/register/${fresh}`);
        expect(res.status).to.equal(500);
        expect(res.text).to.contain('Sorry, something went wrong on our side');
        for (const leak of ['sandbox_items', 'SELECT', 'constraint', '23505', 'at ', '.ts:']) expect(res.text, leak).not.to.contain(leak);
      } finally {
        catalogue.get = original;
      }
    });

    it('SMTP down: registrations still succeed; nothing is lost; each mail is delivered once afterwards', async () => {
      const mark = await settled();
      smtp.refuse = true;
      const emails = ['down.one@example.com', 'down.two@example.com', 'down.three@example.com'];
      try {
        for (const email of emails) await anon().post('/register').type('form').send(form({ email })).expect(200);
        await new Promise((r) => setTimeout(r, 400));
        expect(smtp.messages.slice(mark).filter((m) => emails.includes(m.envelopeTo[0]!))).to.have.length(0);
        expect(await s.knex('selfreg_outbox').whereIn('recipient', emails).whereNot('status', 'sent').count({ n: '*' }).first().then((r) => Number(r?.n))).to.equal(3);
      } finally {
        smtp.refuse = false;
      }
      for (const email of emails) await mailTo(email, mark);
      await new Promise((r) => setTimeout(r, 500));
      expect(smtp.messages.slice(mark).map((m) => m.envelopeTo[0]).filter((to) => emails.includes(to!)).sort()).to.deep.equal([...emails].sort());
      expect(await count(s.knex, 'selfreg_outbox', { status: 'sent' })).to.be.greaterThan(2);
    });
  });
});

describe('security: a database outage answers 503 on the plugin’s routes and recovers by itself', function () {
  this.timeout(90_000);
  let proxy: Server | null = null;
  const sockets = new Set<Socket>();
  let port = 0;
  let target: { host: string; port: number };
  let db: Awaited<ReturnType<typeof createTestDatabase>> | null = null;
  let knex: Knex | null = null;
  let sandbox: Awaited<ReturnType<typeof createSandbox>> | null = null;

  const listen = () =>
    new Promise<void>((resolve) => {
      proxy = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const close = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', close).on('close', close);
        upstream.on('error', close).on('close', close);
      });
      proxy.listen(port, '127.0.0.1', () => {
        port = (proxy!.address() as AddressInfo).port;
        resolve();
      });
    });
  const cut = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      proxy!.close(() => resolve());
    });

  before(async function () {
    if (!process.env.DATABASE_URL) return;
    db = await createTestDatabase();
    const conn = (db.knex.client as unknown as { connectionSettings: { user: string; password?: string; host: string; port?: string | number; database: string } }).connectionSettings;
    target = { host: conn.host, port: Number(conn.port || 5432) };
    await listen();
    const auth = `${encodeURIComponent(conn.user)}${conn.password ? `:${encodeURIComponent(conn.password)}` : ''}`;
    knex = createKnex({ databaseUrl: `postgres://${auth}@127.0.0.1:${port}/${conn.database}` });
    // The outage is expected: keep knex's connection warnings out of the test output.
    const logger = (knex.client as unknown as { logger: Record<string, unknown> }).logger;
    const quiet = (): void => {};
    logger._warn = quiet;
    logger._error = quiet;
    const config = testConfig({ PUBLIC_BASE_URL: BASE });
    await migrateSandbox(knex);
    await seedDemo(knex, config);
    sandbox = await createSandbox({ knex, config, quiet: true, sessionPruneIntervalMs: 0 });
    await sandbox.loadPlugin({ options: { ...NO_LIMITS, outboxPollMs: 60_000 } });
  });
  after(async () => {
    await sandbox?.close();
    await knex?.destroy();
    if (proxy?.listening) await cut();
    await db?.destroy();
  });

  it('POST /register while PostgreSQL is unreachable: 503 with Retry-After and a generic page; then it works again (needs PostgreSQL: skipped on PGlite, which cannot be cut off)', async function () {
    if (!process.env.DATABASE_URL) this.skip();
    const row = await knex!('sandbox_items').where({ type: 'topic', origin: 'own' }).first();
    const plugin = sandbox!.plugin!.instance as unknown as { container: { get<T>(id: symbol): T } };
    const { TokenCode } = await import('../../src/domain/tokens/token-code.js');
    const { randomSource } = await import('../../src/adapters/crypto/crypto.adapters.js');
    const c = TokenCode.generate(randomSource);
    await plugin.container.get<{ insert(t: unknown): Promise<unknown> }>(TYPES.TokenRepository).insert({
      item: { type: 'topic', id: String(row.id) }, nickname: null, normalisedCode: c.normalised, displayCode: c.display, custom: false, expiresAt: null, maxUses: null, createdBy: null,
    });
    const send = (email: string) => supertest(sandbox!.app).post('/register').type('form').send({ firstName: 'Db', lastName: 'Down', email, token: c.display });
    await send('before@example.com').expect(200);

    await cut();
    await new Promise((r) => setTimeout(r, 1100)); // past the public pages' one-second read cache
    const down = await send('during@example.com');
    expect(down.status).to.equal(503);
    expect(down.headers['retry-after']).to.equal('30');
    expect(down.text).to.contain('temporarily unavailable');
    for (const leak of ['ECONNREFUSED', '127.0.0.1', 'knex', 'at ']) expect(down.text, leak).not.to.contain(leak);

    await listen();
    const recovered = await send('after@example.com');
    expect(recovered.status).to.equal(200);
    expect(await knex!('sandbox_users').whereIn('email', ['before@example.com', 'during@example.com', 'after@example.com']).orderBy('email').pluck('email')).to.deep.equal(['after@example.com', 'before@example.com']);
  });
});
