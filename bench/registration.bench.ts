/*
 * Registration benchmark. In one run, on this machine and one fresh PostgreSQL database:
 *   - a bare Express route (GET, answers "ok"),
 *   - an Express route doing one knex INSERT of the posted form (POST, a fresh email each request),
 *   - the deep-link page GET /register/<code> of the sandbox host with the plugin,
 *   - new-user registrations POST /register (a fresh email each request),
 *   - and, for the timing of existing accounts, registrations of known emails (sign-in links).
 * autocannon, 10 connections. Abuse limits are off for the run (every request comes from one
 * address); the outbox worker is stopped so mail stays queued and is counted, not sent.
 * Afterwards the database must hold exactly one new user, registration and queued mail per 2xx.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import autocannon, { type Result } from 'autocannon';
import express from 'express';
import type { Knex } from 'knex';
import { createSandbox } from '../sandbox/app.js';
import { migrateSandbox } from '../sandbox/db.js';
import { seedDemo } from '../sandbox/seed.js';
import { loadSandboxConfig } from '../sandbox/config.js';
import { createTestDatabase } from '../test/support/database.js';
import { TYPES } from '../src/types.js';
import { TokenCode } from '../src/domain/tokens/token-code.js';
import { randomSource } from '../src/adapters/crypto/crypto.adapters.js';
import type { TokenRepository } from '../src/domain/ports/token-repository.port.js';
import type { OutboxWorker } from '../src/adapters/mail/outbox.worker.js';
import type { SelfRegistrationPlugin } from '../src/plugin.js';
import type { Bench, BenchContext } from './support.js';

const CONNECTIONS = 10;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 6);
/** New-user registrations sent (a fixed number, so the database check is exact). */
const REGISTRATIONS = Number(process.env.BENCH_REGISTRATIONS ?? 1500);
const WARMUP_S = 1;
const TARGETS = { registrationVsInsert: 0.5, registrationP99Ms: 100, pageVsBare: 0.6 };

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  /** 2xx answers of the measured run and of its warm-up (both write to the database). */
  ok: number;
  errors: number;
}

function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

const closeServer = (server: Server) => new Promise<void>((resolve) => {
  server.close(() => resolve());
  server.closeAllConnections();
});

/** A form body with a fresh email for every request. */
function formRequests(prefix: string, token: string | null, emails?: () => string): autocannon.Request[] {
  let n = 0;
  return [{
    setupRequest: (req: autocannon.Request) => ({
      ...req,
      body: new URLSearchParams({
        firstName: 'Bench', lastName: 'Mark', email: emails ? emails() : `${prefix}${n++}@bench.test`, ...(token ? { token } : {}),
      }).toString(),
    }),
  }];
}

/**
 * A warm-up, then the measured run: for `DURATION_S` seconds, or for exactly `amount` requests when
 * given (writes are counted afterwards, so every request sent must have been answered).
 */
async function measure(opts: autocannon.Options, amount?: number): Promise<Measured> {
  const length = (n: number | undefined, seconds: number) => (n ? { amount: n } : { duration: seconds });
  const warm: Result = await autocannon({ ...opts, ...length(amount && Math.ceil(amount / 10), WARMUP_S), connections: CONNECTIONS });
  // Timed from the first request to the last response, by us: autocannon's own figures (the mean of
  // per-second buckets, whole-second durations, a finish that waits for its next one-second tick)
  // misread short runs of a fixed `amount`.
  const started = performance.now();
  let lastResponse = started;
  const r = await new Promise<Result>((resolve, reject) => {
    const run = autocannon({ ...opts, ...length(amount, DURATION_S), connections: CONNECTIONS }, (error, result) => (error ? reject(error) : resolve(result)));
    run.on('response', () => {
      lastResponse = performance.now();
    });
  });
  return {
    rps: Math.round(r.requests.total / ((lastResponse - started) / 1000)),
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: warm['2xx'] + r['2xx'],
    errors: warm.errors + warm.timeouts + warm.non2xx + r.errors + r.timeouts + r.non2xx,
  };
}

const POST = { method: 'POST' as const, headers: { 'content-type': 'application/x-www-form-urlencoded' } };

export const registrationBench: Bench = {
  name: 'registration: bare route, one-INSERT route, deep-link page, new-user registrations',
  async run(ctx: BenchContext) {
    const db = await createTestDatabase();
    const knex: Knex = db.knex;
    const servers: Server[] = [];
    let sandbox: Awaited<ReturnType<typeof createSandbox>> | null = null;
    try {
      // ---- Baselines: plain Express on the same database and pool size -----------------------
      await knex.schema.createTable('bench_insert', (t) => {
        t.bigIncrements('id');
        t.string('email', 254).notNullable();
        t.string('first_name', 100).notNullable();
        t.string('last_name', 100).notNullable();
        t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      });
      const plain = express();
      plain.get('/bare', (_req, res) => void res.send('ok'));
      plain.post('/insert', express.urlencoded({ extended: false }), async (req, res) => {
        const body = req.body as Record<string, string>;
        await knex('bench_insert').insert({ email: body.email, first_name: body.firstName, last_name: body.lastName });
        res.send('ok');
      });
      const baseline = await listen(plain);
      servers.push(baseline.server);

      // ---- The sandbox host with the plugin ---------------------------------------------------
      const env = { SELFREG_SECRET: 'bench-secret-bench-secret-bench-secret-1', ADMIN_PASSWORD: 'correct horse battery', SEAT_LIMIT: 'unlimited', PUBLIC_BASE_URL: 'http://127.0.0.1' };
      const loaded = loadSandboxConfig(env, { dataDir: '/tmp/selfreg-bench-unused' });
      if (!loaded.ok) throw new Error(loaded.errors.join('; '));
      await migrateSandbox(knex);
      await seedDemo(knex, loaded.config);
      sandbox = await createSandbox({ knex, config: loaded.config, quiet: true, sessionPruneIntervalMs: 0 });
      await sandbox.loadPlugin({ options: { rateLimitIp: 'off', rateLimitEmail: 'off', rateLimitToken: 'off', rateLimitUnknownCode: 'off' } });
      const plugin = sandbox.plugin!.instance as SelfRegistrationPlugin;
      await plugin.container.get<OutboxWorker>(TYPES.OutboxWorker).stop();
      const item = await knex('sandbox_items').where({ type: 'topic', origin: 'own' }).orderBy('id').first();
      const code = TokenCode.generate(randomSource);
      const token = await plugin.container.get<TokenRepository>(TYPES.TokenRepository).insert({
        item: { type: 'topic', id: String(item.id) }, nickname: 'Bench', normalisedCode: code.normalised, displayCode: code.display,
        custom: false, expiresAt: null, maxUses: null, createdBy: null,
      });
      const host = await listen(sandbox.app);
      servers.push(host.server);
      // The plugin's routers alone, without the host's per-request middleware (session, passport, body
      // parsers): what the plugin itself costs on the deep-link page.
      const pluginOnlyApp = express();
      pluginOnlyApp.use(sandbox.mounts.dispatch);
      const pluginOnly = await listen(pluginOnlyApp);
      servers.push(pluginOnly.server);

      // ---- Measurements ------------------------------------------------------------------------
      const bare = await measure({ url: `${baseline.url}/bare` });
      const insert = await measure({ url: `${baseline.url}/insert`, ...POST, requests: formRequests('insert', null) });
      const page = await measure({ url: `${host.url}/register/${code.display}` });
      const pagePlugin = await measure({ url: `${pluginOnly.url}/register/${code.display}` });
      const hostFloor = await measure({ url: `${host.url}/self-registration/assets/public.css` });
      const usersBefore = await prospects(knex);
      const registration = await measure({ url: `${host.url}/register`, ...POST, requests: formRequests('new', code.display) }, REGISTRATIONS);

      // Every 2xx is one new user, one registration record, one queued invitation: nothing more, nothing less.
      const created = (await prospects(knex)) - usersBefore;
      const records = Number((await knex('selfreg_registrations').where({ token_id: token!.id }).count({ n: '*' }).first())!.n);
      const mails = Number((await knex('selfreg_outbox').where('recipient', 'like', 'new%@bench.test').count({ n: '*' }).first())!.n);
      const consistent = created === registration.ok && records === registration.ok && mails === registration.ok;

      // Known emails: the same page, a sign-in link instead of an account. Their invitations are
      // marked accepted first, so they are existing accounts rather than pending invitations.
      await knex('selfreg_email_links').whereNull('used_at').update({ used_at: new Date() });
      const known: string[] = await knex('sandbox_users').where('email', 'like', 'new%@bench.test').orderBy('id').limit(5000).pluck('email');
      let k = 0;
      const existing = known.length > 0
        ? await measure({ url: `${host.url}/register`, ...POST, requests: formRequests('', code.display, () => known[k++ % known.length]!) }, REGISTRATIONS)
        : { rps: 0, p50: 0, p99: 0, ok: 0, errors: 0 };

      // One visitor at a time (no queue behind the locks): the latency a single prober would see.
      let n1 = 0;
      const single = async (emails: () => string) => {
        const r: Result = await autocannon({ url: `${host.url}/register`, ...POST, connections: 1, amount: 300, requests: formRequests('', code.display, emails) });
        return { p50: r.latency.p50, mean: Math.round(r.latency.mean * 100) / 100 };
      };
      const singleNew = await single(() => `solo${n1++}@bench.test`);
      const singleKnown = await single(() => known[k++ % known.length]!);

      const registrationVsInsert = round(registration.rps / insert.rps);
      const pageVsBare = round(page.rps / bare.rps);
      const line = (name: string, m: Measured) => ctx.log(`${name.padEnd(34)} ${String(m.rps).padStart(6)} req/s   p50 ${String(m.p50).padStart(3)} ms   p99 ${String(m.p99).padStart(3)} ms   errors ${m.errors}`);
      line('bare Express route', bare);
      line('Express route with one INSERT', insert);
      line('deep-link page /register/<code>', page);
      line('  same page, host middleware left out', pagePlugin);
      line('  a static file behind the host stack', hostFloor);
      line('new-user registration', registration);
      line('registration of known emails', existing);
      ctx.log(`registration ÷ one-INSERT route   ${registrationVsInsert.toFixed(2)}   (target ≥ ${TARGETS.registrationVsInsert}) ${registrationVsInsert >= TARGETS.registrationVsInsert ? 'met' : 'MISSED'}`);
      ctx.log(`registration p99                  ${registration.p99} ms (target < ${TARGETS.registrationP99Ms} ms) ${registration.p99 < TARGETS.registrationP99Ms ? 'met' : 'MISSED'}`);
      ctx.log(`deep-link page ÷ bare route       ${pageVsBare.toFixed(2)}   (target ≥ ${TARGETS.pageVsBare}) ${pageVsBare >= TARGETS.pageVsBare ? 'met' : 'MISSED'}; without the host's middleware ${round(pagePlugin.rps / bare.rps).toFixed(2)}; a static file behind the host's middleware ${round(hostFloor.rps / bare.rps).toFixed(2)}`);
      ctx.log(`known vs new email, latency       10 connections: p50 ${existing.p50} ms vs ${registration.p50} ms; one at a time: mean ${singleKnown.mean} ms vs ${singleNew.mean} ms (same page; reported, not asserted)`);
      ctx.log(`database check: ${registration.ok} registrations answered 2xx (warm-up included) → ${created} new users, ${records} records, ${mails} queued invitations: ${consistent ? 'exact' : 'MISMATCH'}`);
      const errors = bare.errors + insert.errors + page.errors + pagePlugin.errors + hostFloor.errors + registration.errors + existing.errors + (consistent ? 0 : 1);
      return {
        bare_rps: bare.rps,
        bare_p99_ms: bare.p99,
        insert_rps: insert.rps,
        insert_p50_ms: insert.p50,
        insert_p99_ms: insert.p99,
        page_rps: page.rps,
        page_p50_ms: page.p50,
        page_p99_ms: page.p99,
        registration_rps: registration.rps,
        registration_p50_ms: registration.p50,
        registration_p99_ms: registration.p99,
        registration_count: registration.ok,
        registration_existing_rps: existing.rps,
        registration_existing_p50_ms: existing.p50,
        registration_existing_p99_ms: existing.p99,
        registration_single_mean_ms: singleNew.mean,
        registration_existing_single_mean_ms: singleKnown.mean,
        registration_vs_insert: registrationVsInsert,
        page_vs_bare: pageVsBare,
        page_plugin_only_rps: pagePlugin.rps,
        page_plugin_only_vs_bare: round(pagePlugin.rps / bare.rps),
        host_static_file_vs_bare: round(hostFloor.rps / bare.rps),
        registration_db_consistent: consistent,
        errors,
      };
    } finally {
      for (const server of servers) await closeServer(server);
      await sandbox?.close();
      // Requests the closed servers were still handling may hold a connection for a moment.
      const pool = (knex.client as unknown as { pool?: { numPendingAcquires(): number; numUsed(): number } }).pool;
      for (let i = 0; i < 40 && pool && pool.numPendingAcquires() + pool.numUsed() > 0; i++) await new Promise((r) => setTimeout(r, 50));
      await db.destroy();
    }
  },
};

const round = (n: number): number => Math.round(n * 100) / 100;

async function prospects(knex: Knex): Promise<number> {
  return Number((await knex('sandbox_users').where({ type: 'prospect' }).count({ n: '*' }).first())!.n);
}
