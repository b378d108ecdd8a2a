/*
 * Reports benchmark, on one fresh PostgreSQL database seeded in bulk (bench/reports-seed.ts): 10,000
 * tokens, 1,000,000 registrations.
 *   - The registrations CSV export of all rows through the plugin's API (Accept: text/csv) against a
 *     raw knex stream → @json2csv Transform of the same query's rows on a bare Express route, both
 *     downloaded over HTTP, in alternating pairs; ratio of speeds (median, min–max) and the growth
 *     of the process's RSS during the plugin's export.
 *   - The portal usage report and one token's registrations page: server time of the use case
 *     (median of several runs), and the EXPLAIN (ANALYZE, BUFFERS) plan of every statement each runs.
 */
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import express from 'express';
import type { Knex } from 'knex';
import { Transform as Json2csv } from '@json2csv/node';
import { createSandbox } from '../sandbox/app.js';
import { migrateSandbox } from '../sandbox/db.js';
import { seedDemo } from '../sandbox/seed.js';
import { loadSandboxConfig } from '../sandbox/config.js';
import { createTestDatabase } from '../test/support/database.js';
import { TYPES } from '../src/types.js';
import type { HostUser } from '../src/contract/index.js';
import type { SelfRegistrationPlugin } from '../src/plugin.js';
import type { CreateApiKeyUseCase } from '../src/application/api-keys/create-api-key.use-case.js';
import type { UsageReportQuery } from '../src/application/reports/usage-report.query.js';
import type { RegistrationsReportQuery } from '../src/application/reports/registrations-report.query.js';
import type { OutboxWorker } from '../src/adapters/mail/outbox.worker.js';
import { REPORT_COLUMNS, STREAM_OPTIONS } from '../src/adapters/persistence/reports/report-sql.js';
import type { CatchUpUsageUseCase } from '../src/application/reports/catch-up-usage.use-case.js';
import type { Bench, BenchContext } from './support.js';
import type { WorkerContribution } from '../src/types.js';
import { REGISTRATIONS, seedReports, TOKENS } from './reports-seed.js';

const PAIRS = Number(process.env.BENCH_REPORT_PAIRS ?? 3);
const QUERY_RUNS = 7;
const TARGETS = { exportVsRaw: 0.7, exportRssMb: 64, usageReportMs: 200, tokenRegistrationsMs: 50 };

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

function listen(handler: http.RequestListener): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = http.createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

/** Downloads a URL, counting bytes and lines; samples this process's RSS meanwhile. */
function download(url: string, headers: Record<string, string>): Promise<{ ms: number; bytes: number; lines: number; rssGrowthMb: number }> {
  return new Promise((resolve, reject) => {
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = performance.now();
    http.get(url, { headers }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`${url} answered ${res.statusCode}`));
      let bytes = 0;
      let lines = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) lines++;
      });
      res.on('end', () => {
        clearInterval(sampler);
        resolve({ ms: performance.now() - started, bytes, lines, rssGrowthMb: (Math.max(peak, process.memoryUsage().rss) - rss0) / 2 ** 20 });
      });
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Every statement `run` sends, captured, then EXPLAIN (ANALYZE, BUFFERS) of each. */
async function plansOf(knex: Knex, run: () => Promise<unknown>): Promise<string[]> {
  const seen: { sql: string; bindings: readonly unknown[] }[] = [];
  const listener = (q: { sql: string; bindings?: readonly unknown[] }) => seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  knex.on('query', listener);
  try {
    await run();
  } finally {
    knex.removeListener('query', listener);
  }
  const plans: string[] = [];
  for (const q of seen.filter((s) => /^\s*(with|select)/i.test(s.sql))) {
    // pg's placeholders ($1…) back to knex's, to run the same statement under EXPLAIN.
    const sql = q.sql.replace(/\$\d+/g, '?');
    const res = await knex.raw(`explain (analyze, buffers) ${sql}`, q.bindings as Knex.RawBinding[]);
    plans.push(`${knex.raw(sql, q.bindings as Knex.RawBinding[]).toQuery()}\n${(res.rows as { 'QUERY PLAN': string }[]).map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
  }
  return plans;
}

async function timed(run: () => Promise<unknown>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < QUERY_RUNS; i++) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
  }
  return ms;
}

export const reportsBench: Bench = {
  name: `reports: ${TOKENS.toLocaleString('en')} tokens, ${REGISTRATIONS.toLocaleString('en')} registrations — CSV export vs raw knex → json2csv, usage report, a token's registrations page`,
  async run(ctx: BenchContext) {
    const db = await createTestDatabase();
    const knex: Knex = db.knex;
    const servers: Server[] = [];
    let sandbox: Awaited<ReturnType<typeof createSandbox>> | null = null;
    try {
      const env = { SELFREG_SECRET: 'bench-secret-bench-secret-bench-secret-1', ADMIN_PASSWORD: 'correct horse battery', SEAT_LIMIT: 'unlimited', PUBLIC_BASE_URL: 'http://127.0.0.1', TIME_ZONE: 'Europe/London' };
      const loaded = loadSandboxConfig(env, { dataDir: '/tmp/selfreg-bench-unused' });
      if (!loaded.ok) throw new Error(loaded.errors.join('; '));
      await migrateSandbox(knex);
      await seedDemo(knex, loaded.config);
      sandbox = await createSandbox({ knex, config: loaded.config, quiet: true, sessionPruneIntervalMs: 0 });
      await sandbox.loadPlugin({ options: {} });
      const plugin = sandbox.plugin!.instance as SelfRegistrationPlugin;
      await plugin.container.get<OutboxWorker>(TYPES.OutboxWorker).stop();

      const seedStart = performance.now();
      // The report-counters worker would fold alongside the measurements: stopped, and run by hand below.
      await plugin.container.getAll<WorkerContribution>(TYPES.Worker).find((w) => w.id === 'report-counters')!.worker.stop();
      const { busyTokenId } = await seedReports(knex, 'Europe/London');
      const truth = await knex('selfreg_registrations').select(knex.raw('count(*) as n, count(completed_at) as c')).first();
      ctx.log(`seeded ${TOKENS} tokens, ${REGISTRATIONS} registrations and 30 days of views in ${round((performance.now() - seedStart) / 1000, 1)} s`);
      // The worker's catch-up on the newest registrations, which the seed left pending (as if just made).
      const foldStart = performance.now();
      const folded = await plugin.container.get<CatchUpUsageUseCase>(TYPES.CatchUpUsageUseCase).execute();
      const foldMs = performance.now() - foldStart;
      for (const table of ['selfreg_registrations', 'selfreg_usage_by_campaign', 'selfreg_usage_by_item']) await knex.raw(`vacuum analyze ${table}`);
      const sums = await knex('selfreg_usage_by_campaign').select(knex.raw('sum(registrations) as n, sum(completed) as c')).first();
      if (Number(sums.n) !== Number(truth.n) || Number(sums.c) !== Number(truth.c)) throw new Error(`daily totals ${sums.n}/${sums.c} ≠ registrations ${truth.n}/${truth.c}`);
      ctx.log(`the worker's catch-up folded ${folded} pending registrations into the daily totals in ${round(foldMs)} ms (batches of 5,000)`);

      const adminRow = await knex('sandbox_users').where({ role: 'super_admin' }).orderBy('id').first();
      const admin = (await sandbox.host.users.findById(String(adminRow.id))) as HostUser;
      const made = await plugin.container.get<CreateApiKeyUseCase>(TYPES.CreateApiKeyUseCase).execute(admin, 'Bench');
      if (!made.ok) throw new Error('no API key');
      const auth = { Authorization: `Bearer ${made.value.key}`, Accept: 'text/csv' };

      const app = await listen(sandbox.app);
      servers.push(app.server);
      const raw = express();
      const fields = REPORT_COLUMNS.map((c) => c.slice(2));
      raw.get('/raw', async (_req, res) => {
        res.set('Content-Type', 'text/csv; charset=utf-8');
        const rows = knex({ r: 'selfreg_registrations' }).select(...REPORT_COLUMNS).orderBy('r.id', 'desc').stream(STREAM_OPTIONS as never) as unknown as NodeJS.ReadableStream;
        await pipeline(rows, new Json2csv({ fields }, {}, { objectMode: true }), res);
      });
      const baseline = await listen(raw);
      servers.push(baseline.server);

      // ---- The export of every row, alternating with the raw stream ----------------------------
      const exportUrl = `${app.url}/api/self-registration/v1/reports/registrations`;
      const ratios: number[] = [];
      const rss: number[] = [];
      for (let pair = 0; pair < PAIRS; pair++) {
        const base = await download(`${baseline.url}/raw`, {});
        if (global.gc) global.gc();
        const mine = await download(exportUrl, auth);
        // CRLF after every record of ours; json2csv puts no line break after its last one.
        if (mine.lines !== REGISTRATIONS + 1 || base.lines !== REGISTRATIONS) throw new Error(`row counts: export ${mine.lines - 1}, raw ${base.lines}`);
        ratios.push(base.ms / mine.ms);
        rss.push(mine.rssGrowthMb);
        ctx.log(`pair ${pair + 1}: raw knex → json2csv ${round(base.ms / 1000)} s (${round(base.bytes / 2 ** 20, 1)} MB), plugin export ${round(mine.ms / 1000)} s (${round(mine.bytes / 2 ** 20, 1)} MB), speed ratio ${round(ratios.at(-1)!)}, RSS +${round(mine.rssGrowthMb, 1)} MB`);
      }

      // ---- Server time of the usage report and of one token's registrations page -------------
      const usage = plugin.container.get<UsageReportQuery>(TYPES.UsageReportQuery);
      const registrations = plugin.container.get<RegistrationsReportQuery>(TYPES.RegistrationsReportQuery);
      const usageMs = await timed(() => usage.execute(admin, {}, { limit: 50 }));
      const tokenMs = await timed(() => registrations.execute(admin, { token: String(busyTokenId) }, { limit: 50 }));
      ctx.log(`portal usage report: median ${round(median(usageMs), 1)} ms (${round(Math.min(...usageMs), 1)}–${round(Math.max(...usageMs), 1)}) over ${QUERY_RUNS} runs`);
      ctx.log(`one token's registrations page (50 rows + count): median ${round(median(tokenMs), 1)} ms (${round(Math.min(...tokenMs), 1)}–${round(Math.max(...tokenMs), 1)})`);
      for (const [name, run] of [
        ['usage report', () => usage.execute(admin, {}, { limit: 50 })],
        ["one token's registrations page", () => registrations.execute(admin, { token: String(busyTokenId) }, { limit: 50 })],
        ["one item's registrations, prospects, started", () => registrations.execute(admin, { item: 'topic:7', userType: 'prospect', status: 'started' }, { limit: 50 })],
      ] as const) {
        for (const plan of await plansOf(knex, run)) ctx.log(`-- plan (${name}):\n${plan}`);
      }

      const figures = {
        export_vs_raw: round(median(ratios)),
        export_vs_raw_min: round(Math.min(...ratios)),
        export_vs_raw_max: round(Math.max(...ratios)),
        export_rss_mb: round(Math.max(...rss), 1),
        usage_report_ms: round(median(usageMs), 1),
        report_token_registrations_ms: round(median(tokenMs), 1),
        usage_fold_ms: round(foldMs),
      };
      const ok = figures.export_vs_raw >= TARGETS.exportVsRaw && figures.export_rss_mb <= TARGETS.exportRssMb
        && figures.usage_report_ms <= TARGETS.usageReportMs && figures.report_token_registrations_ms <= TARGETS.tokenRegistrationsMs;
      ctx.log(`targets: export ≥ ${TARGETS.exportVsRaw} × raw, RSS ≤ ${TARGETS.exportRssMb} MB, usage ≤ ${TARGETS.usageReportMs} ms, token page ≤ ${TARGETS.tokenRegistrationsMs} ms: ${ok ? 'met' : 'NOT met'}`);
      return { ...figures, reports_targets_met: ok };
    } finally {
      for (const s of servers) {
        s.closeAllConnections();
        await new Promise<void>((r) => s.close(() => r()));
      }
      await sandbox?.close();
      await db.destroy();
    }
  },
};
