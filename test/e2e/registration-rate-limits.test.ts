/*
 * Abuse limits shared through the database: TWO sandboxes (two plugin instances, each with its own
 * Express app and knex pool on PostgreSQL; one shared PGlite otherwise) over ONE database. Over a
 * limit, every instance answers 429 with Retry-After. The visitor's address is the host's `req.ip`:
 * with TRUST_PROXY set the sandboxes believe X-Forwarded-For (each test uses its own address), and
 * without it a forged header changes nothing.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import type { Knex } from 'knex';
import { createSandbox, type Sandbox } from '../../sandbox/app.js';
import { createKnex, migrateSandbox } from '../../sandbox/db.js';
import { seedDemo } from '../../sandbox/seed.js';
import { testConfig } from '../sandbox/helpers.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { TYPES } from '../../src/types.js';
import type { TokenRepository } from '../../src/domain/ports/token-repository.port.js';
import { TokenCode } from '../../src/domain/tokens/token-code.js';
import { randomSource } from '../../src/adapters/crypto/crypto.adapters.js';
import type { PluginOptions } from '../../src/contract/index.js';
import type { SelfRegistrationPlugin } from '../../src/plugin.js';

const LIMITS: Partial<PluginOptions> = { rateLimitIp: '3/1h', rateLimitEmail: '2/1h', rateLimitToken: '4/1h', rateLimitUnknownCode: '2/1h', outboxPollMs: 60_000 };

describe('e2e: rate limits shared by every instance (two plugin instances, one database)', function () {
  this.timeout(90_000);
  let db: TestDatabase;
  let second: Knex | null = null;
  const sandboxes: Sandbox[] = [];
  let a: Sandbox;
  let b: Sandbox;
  let topic: { type: 'topic'; id: string };

  before(async () => {
    db = await createTestDatabase();
    const config = testConfig({ TRUST_PROXY: 'loopback' });
    await migrateSandbox(db.knex);
    await seedDemo(db.knex, config);
    if (process.env.DATABASE_URL) {
      // A second pool on the same PostgreSQL database, as a second server would have.
      const c = (db.knex.client as unknown as { connectionSettings: { user: string; password?: string; host: string; port?: string | number; database: string } }).connectionSettings;
      second = createKnex({ databaseUrl: `postgres://${encodeURIComponent(c.user)}${c.password ? `:${encodeURIComponent(c.password)}` : ''}@${c.host}:${c.port ?? 5432}/${c.database}` });
    }
    for (const knex of [db.knex, second ?? db.knex]) {
      const sandbox = await createSandbox({ knex, config, quiet: true, sessionPruneIntervalMs: 0 });
      await sandbox.loadPlugin({ options: LIMITS });
      sandboxes.push(sandbox);
    }
    [a, b] = sandboxes as [Sandbox, Sandbox];
    const row = await db.knex('sandbox_items').where({ type: 'topic', origin: 'own' }).orderBy('id').first();
    topic = { type: 'topic', id: String(row.id) };
  });
  after(async () => {
    for (const sandbox of sandboxes) await sandbox.close();
    await second?.destroy();
    await db?.destroy();
  });

  async function token(maxUses: number | null = null): Promise<string> {
    const code = TokenCode.generate(randomSource);
    const plugin = a.plugin!.instance as SelfRegistrationPlugin;
    await plugin.container.get<TokenRepository>(TYPES.TokenRepository).insert({
      item: topic, nickname: null, normalisedCode: code.normalised, displayCode: code.display, custom: false, expiresAt: null, maxUses, createdBy: null,
    });
    return code.display;
  }

  const post = (sandbox: Sandbox, ip: string, body: Record<string, string>) =>
    supertest(sandbox.app).post('/register').set('X-Forwarded-For', ip).type('form').send({ firstName: 'Rate', lastName: 'Limit', ...body });

  function expect429(res: supertest.Response, what: string): void {
    expect(res.status, what).to.equal(429);
    const wait = Number(res.headers['retry-after']);
    expect(wait, what).to.be.within(1, 3600);
    expect(res.text, what).to.contain('<h1>Too many attempts</h1>');
  }

  it('per address: three attempts across both instances, then every instance answers 429; another address is unaffected', async () => {
    const code = await token();
    const ip = '198.51.100.10';
    await post(a, ip, { email: 'ip1@example.com', token: code }).expect(200);
    await post(b, ip, { email: 'not-an-email', token: code }).expect(422); // refused forms count too
    await post(a, ip, { email: 'ip3@example.com', token: code, website: 'bot' }).expect(200); // and honeypots
    expect429(await post(b, ip, { email: 'ip4@example.com', token: code }), 'instance B');
    expect429(await post(a, ip, { email: 'ip5@example.com', token: code }), 'instance A');
    expect(await db.knex('sandbox_users').whereIn('email', ['ip4@example.com', 'ip5@example.com'])).to.deep.equal([]);
    await post(b, '198.51.100.11', { email: 'ip6@example.com', token: code }).expect(200);
  });

  it('per email: the third registration of one address is refused on both instances, known or new alike', async () => {
    const code = await token();
    for (const email of ['flood@example.com', 'sam.staff@example.com']) {
      await post(a, '198.51.100.20', { email, token: code }).expect(200);
      await post(b, '198.51.100.21', { email: email.toUpperCase(), token: code }).expect(200);
      expect429(await post(a, '198.51.100.22', { email, token: code }), `${email} on A`);
      expect429(await post(b, '198.51.100.23', { email, token: code }), `${email} on B`);
    }
    expect(await db.knex('selfreg_outbox').where({ recipient: 'flood@example.com' }).pluck('template')).to.deep.equal(['invitation', 'invitation']);
  });

  it('per token: a token takes four registrations an hour, whichever instance and address they come from', async () => {
    const code = await token();
    for (let i = 0; i < 4; i++) await post(i % 2 ? a : b, `198.51.100.${30 + i}`, { email: `tok${i}@example.com`, token: code }).expect(200);
    expect429(await post(a, '198.51.100.40', { email: 'tok4@example.com', token: code }), 'A');
    expect429(await post(b, '198.51.100.41', { email: 'tok5@example.com', token: code }), 'B');
    // Another token is not affected.
    await post(a, '198.51.100.42', { email: 'tok6@example.com', token: await token() }).expect(200);
  });

  it('unknown codes per address: after two guesses neither instance looks codes up for it, so a hit cannot be told from a miss', async () => {
    const code = await token();
    const ip = '198.51.100.50';
    const get = (sandbox: Sandbox, path: string) => supertest(sandbox.app).get(path).set('X-Forwarded-For', ip);
    await get(a, '/register/ZZZZ-ZZZZ-ZZZZ').expect(200).expect(/We don’t recognise that token/);
    await post(b, ip, { email: 'guess@example.com', token: 'YYYY-YYYY-YYYY' }).expect(422);
    expect429(await get(b, `/register/${code}`), 'a real code on B');
    expect429(await get(a, '/register/XXXX-XXXX-XXXX'), 'a guess on A');
    await get(a, `/register/${code}`).set('X-Forwarded-For', '198.51.100.51').expect(200);
  });

  it('the counters are stored without any email address or IP address in them', async () => {
    const rows: { key: string }[] = await db.knex('selfreg_rate_limits').select('key');
    expect(rows.length).to.be.greaterThan(5);
    for (const { key } of rows) {
      expect(key).to.match(/^(ip|email|token|unknownCode):[A-Za-z0-9_-]{43}$/);
      expect(key).not.to.contain('@').and.not.to.contain('198.51');
    }
  });

  it('an invalid limit makes start() fail, naming the option; nothing stays mounted', async () => {
    const broken = await createSandbox({ knex: db.knex, config: testConfig(), quiet: true, sessionPruneIntervalMs: 0 });
    sandboxes.push(broken);
    let error: unknown;
    try {
      await broken.loadPlugin({ options: { rateLimitIp: 'lots', rateLimitToken: '5/9d' } });
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.contain('options.rateLimitIp "lots" is not a limit').and.to.contain('options.rateLimitToken "5/9d": the window must be');
    expect(broken.mounts.list()).to.deep.equal([]);
  });

  it('refusals are logged once per address and window, not for every request of a flood', async () => {
    const code = await token();
    const ip = '198.51.100.60';
    const logged = () => a.logger.entries.filter((e) => e.message === 'Rate limit reached' && e.context?.limit === 'ip').length;
    const before = logged();
    for (let i = 0; i < 6; i++) await post(a, ip, { email: `log${i}@example.com`, token: code });
    expect(logged() - before).to.equal(1);
  });

  it('without TRUST_PROXY configured, a forged X-Forwarded-For does not give a fresh address', async () => {
    const config = testConfig();
    expect(config.trustProxy).to.equal(undefined);
    const untrusting = await createSandbox({ knex: db.knex, config, quiet: true, sessionPruneIntervalMs: 0 });
    sandboxes.push(untrusting);
    await untrusting.loadPlugin({ options: LIMITS });
    const code = await token();
    for (let i = 0; i < 3; i++) await post(untrusting, `203.0.113.${i}`, { email: `forged${i}@example.com`, token: code }).expect(200);
    expect429(await post(untrusting, '203.0.113.99', { email: 'forged9@example.com', token: code }), 'forged address');
  });
});
