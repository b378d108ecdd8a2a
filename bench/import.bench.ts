/*
 * Tokens in bulk. In one run, on one fresh PostgreSQL database with the sandbox host and the plugin:
 *   - a raw batched INSERT of 50,000 token rows (digest and ciphertext computed, 1,000 rows a statement),
 *   - the same 50,000 rows as a CSV import: the dry run (streamed parse, plan, plan stored) plus the
 *     apply (tokens, one audit entry each, the import's entry),
 * alternating which goes first, in pairs (≥ 3), every run on emptied tables; the ratio import ÷ raw
 * is reported as the median with its range. RSS growth (from a collected heap) is sampled every 20 ms
 * during each import and the largest is reported. Then a batch
 * of 10,000 single-use codes, generated and stored, timed three times (median).
 */
import { Readable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Knex } from 'knex';
import { createSandbox } from '../sandbox/app.js';
import { migrateSandbox } from '../sandbox/db.js';
import { seedDemo } from '../sandbox/seed.js';
import { loadSandboxConfig } from '../sandbox/config.js';
import { createTestDatabase } from '../test/support/database.js';
import { TYPES } from '../src/types.js';
import { TokenCode } from '../src/domain/tokens/token-code.js';
import { randomSource, type CodeProtector } from '../src/adapters/crypto/crypto.adapters.js';
import { csvUpload } from '../src/adapters/shared/csv/csv-upload.js';
import type { HostUser } from '../src/domain/shared/user.js';
import type { UsersPort } from '../src/domain/ports/users.port.js';
import type { DryRunTokenImportUseCase } from '../src/application/token-imports/dry-run-token-import.use-case.js';
import type { ApplyTokenImportUseCase } from '../src/application/token-imports/apply-token-import.use-case.js';
import type { CreateTokenBatchUseCase } from '../src/application/token-batches/create-token-batch.use-case.js';
import type { SelfRegistrationPlugin } from '../src/plugin.js';
import type { Bench, BenchContext } from './support.js';

/** A full collection before each measured import, so RSS growth counts what the import holds, not garbage left by what ran before. */
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 50_000);
const PAIRS = Math.max(3, Number(process.env.BENCH_IMPORT_PAIRS ?? 3));
const TARGETS = { importVsRaw: 2, rssMb: 64 };

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

interface Row {
  nickname: string;
  code: TokenCode;
  expiresOn: string;
  maxUses: number;
}

export const importBench: Bench = {
  name: 'tokens in bulk: 50,000-row CSV import (dry run + apply) vs a raw batched INSERT; a batch of 10,000 codes',
  async run(ctx: BenchContext) {
    const db = await createTestDatabase();
    const knex: Knex = db.knex;
    let sandbox: Awaited<ReturnType<typeof createSandbox>> | null = null;
    try {
      const env = { SELFREG_SECRET: 'bench-secret-bench-secret-bench-secret-1', ADMIN_PASSWORD: 'correct horse battery', PUBLIC_BASE_URL: 'http://127.0.0.1' };
      const loaded = loadSandboxConfig(env, { dataDir: '/tmp/selfreg-bench-unused' });
      if (!loaded.ok) throw new Error(loaded.errors.join('; '));
      await migrateSandbox(knex);
      await seedDemo(knex, loaded.config);
      sandbox = await createSandbox({ knex, config: loaded.config, quiet: true, sessionPruneIntervalMs: 0 });
      await sandbox.loadPlugin({});
      const c = (sandbox.plugin!.instance as SelfRegistrationPlugin).container;
      const codes = c.get<CodeProtector>(TYPES.CodeProtector);
      const dryRun = c.get<DryRunTokenImportUseCase>(TYPES.DryRunTokenImportUseCase);
      const apply = c.get<ApplyTokenImportUseCase>(TYPES.ApplyTokenImportUseCase);
      const batch = c.get<CreateTokenBatchUseCase>(TYPES.CreateTokenBatchUseCase);
      const adminRow = await knex('sandbox_users').where({ role: 'super_admin' }).first('id');
      const admin = (await c.get<UsersPort>(TYPES.Users).findById(String(adminRow.id))) as HostUser;
      const item = await knex('sandbox_items').where({ type: 'topic', origin: 'own' }).orderBy('id').first();
      const itemId = String(item.id);

      const year = new Date().getUTCFullYear() + 1;
      const rows: Row[] = Array.from({ length: ROWS }, (_, i) => ({ nickname: `Bench ${i}`, code: TokenCode.generate(randomSource), expiresOn: `${year}-06-30`, maxUses: 1 + (i % 50) }));
      const csv = Buffer.from(`itemType,itemId,nickname,code,expiresOn,maxUses\n${rows.map((r) => `topic,${itemId},${r.nickname},${r.code.display},${r.expiresOn},${r.maxUses}`).join('\n')}\n`);
      const expiresAt = new Date(`${year}-07-01T00:00:00Z`);

      const empty = async () => {
        await knex.raw('truncate selfreg_tokens, selfreg_audit_log, selfreg_token_import_chunks, selfreg_token_imports restart identity cascade');
        await knex.raw('vacuum analyze selfreg_tokens');
      };
      const raw = async (): Promise<number> => {
        const started = performance.now();
        for (let i = 0; i < rows.length; i += 1000) {
          await knex('selfreg_tokens').insert(rows.slice(i, i + 1000).map((r) => ({
            item_type: 'topic', item_id: itemId, nickname: r.nickname, code_digest: codes.digest(r.code.normalised), code_ciphertext: codes.encrypt(r.code.display),
            custom: true, expires_at: expiresAt, max_uses: r.maxUses, created_by: admin.id, created_by_name: 'Bench',
          })));
        }
        return performance.now() - started;
      };
      let rssPeak = 0;
      let split = '';
      const imported = async (): Promise<number> => {
        collect();
        const before = process.memoryUsage().rss;
        const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss - before)), 20);
        const started = performance.now();
        const source = Readable.from((function* () {
          for (let i = 0; i < csv.length; i += 64 * 1024) yield csv.subarray(i, i + 64 * 1024);
        })());
        const plan = await dryRun.execute(admin, csvUpload(source, 'bench.csv', 5 * 1024 * 1024));
        if (!plan.ok || plan.value.counts.create !== ROWS) throw new Error(`dry run: ${JSON.stringify(plan.ok ? plan.value.counts : plan.error)}`);
        const planned = performance.now();
        const done = await apply.execute(admin, plan.value.id, null);
        if (!done.ok) throw new Error(`apply: ${done.error.code}`);
        const ms = performance.now() - started;
        split = `dry run ${(planned - started).toFixed(0)} ms + apply ${(performance.now() - planned).toFixed(0)} ms`;
        clearInterval(sampler);
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss - before);
        return ms;
      };

      await empty();
      // Warm-up: the first import in the process also loads code paths, JIT and driver buffers; its
      // growth is reported apart (import_rss_cold_mb), the measured imports' as import_rss_mb.
      await imported();
      const rssCold = rssPeak;
      rssPeak = 0;
      await empty();
      const ratios: number[] = [];
      for (let pair = 0; pair < PAIRS; pair++) {
        let rawMs = 0;
        let importMs = 0;
        for (const which of pair % 2 === 0 ? ['raw', 'import'] : ['import', 'raw']) {
          await empty();
          if (which === 'raw') rawMs = await raw();
          else importMs = await imported();
        }
        const count = Number((await knex('selfreg_tokens').count({ n: '*' }))[0]!.n);
        if (count !== ROWS) throw new Error(`expected ${ROWS} tokens after the pair, found ${count}`);
        ratios.push(importMs / rawMs);
        ctx.log(`pair ${pair + 1}: raw INSERT ${rawMs.toFixed(0)} ms, import (dry run + apply) ${importMs.toFixed(0)} ms, ratio ${(importMs / rawMs).toFixed(2)} (${split})`);
      }
      await empty();
      const batchMs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const made = await batch.execute(admin, { type: 'topic', id: itemId }, { count: 10_000, nickname: `Batch ${i}` });
        if (!made.ok) throw new Error(`batch: ${made.error.code}`);
        batchMs.push(performance.now() - started);
      }
      const batchCount = Number((await knex('selfreg_tokens').whereNotNull('batch_id').count({ n: '*' }))[0]!.n);
      if (batchCount !== 30_000) throw new Error(`expected 30,000 batch tokens, found ${batchCount}`);

      const figures = {
        import_vs_raw: round(median(ratios)),
        import_vs_raw_min: round(Math.min(...ratios)),
        import_vs_raw_max: round(Math.max(...ratios)),
        import_rss_mb: round(rssPeak / 1024 / 1024, 1),
        import_rss_cold_mb: round(rssCold / 1024 / 1024, 1),
        batch_10k_ms: Math.round(median(batchMs)),
      };
      ctx.log(`import ÷ raw INSERT: median ${figures.import_vs_raw} (range ${figures.import_vs_raw_min}–${figures.import_vs_raw_max}), target ≤ ${TARGETS.importVsRaw}`);
      ctx.log(`RSS growth during imports: ${figures.import_rss_mb} MB (the first import in the process: ${figures.import_rss_cold_mb} MB), target ≤ ${TARGETS.rssMb}`);
      ctx.log(`batch of 10,000 codes: ${figures.batch_10k_ms} ms (median of 3)`);
      return figures;
    } finally {
      await sandbox?.close();
      await db.destroy();
    }
  },
};
