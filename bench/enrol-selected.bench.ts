/*
 * Set-based enrolment (contract 1.1 `enrolments.enrolSelected`) in the sandbox host. On one fresh
 * PostgreSQL database: 100,000 prospects and two items; a rule backfill enrols every prospect in both
 * (200,000 enrolments) through `enrolSelected` over the host's own `users.selectByType`, against the
 * baseline of a raw INSERT … SELECT … ON CONFLICT DO NOTHING of the same rows. Pairs measured back to
 * back in alternating order (≥ 3) on an emptied enrolments table; the ratio enrolSelected ÷ raw is
 * reported as the median with its range, and each run's count is checked.
 */
import type { Knex } from 'knex';
import { createSandbox } from '../sandbox/app.js';
import { migrateSandbox } from '../sandbox/db.js';
import { loadSandboxConfig } from '../sandbox/config.js';
import { createTestDatabase } from '../test/support/database.js';
import { range, round, stats, type Bench, type BenchContext } from './support.js';

const PROSPECTS = Number(process.env.BENCH_BACKFILL_USERS ?? 100_000);
const PAIRS = Math.max(3, Number(process.env.BENCH_BACKFILL_PAIRS ?? 5));
const TARGETS = { backfillVsRaw: 1.5 };
const ENV = { SELFREG_SECRET: 'bench-secret-bench-secret-bench-secret-1', ADMIN_PASSWORD: 'correct horse battery', SEAT_LIMIT: 'unlimited', PUBLIC_BASE_URL: 'http://127.0.0.1' };

async function seed(knex: Knex): Promise<[number, number]> {
  // A bulk load: the seat counter's trigger is off and the counter recounted once (see its migration).
  await knex.raw('alter table sandbox_users disable trigger sandbox_users_seat_count');
  await knex.raw(`insert into sandbox_users (email, first_name, last_name, type, status)
    select 'backfill' || n || '@bench.test', 'Pat', 'Prospect' || n, 'prospect', 'active' from generate_series(1, ?) n`, [PROSPECTS]);
  await knex.raw(`insert into sandbox_users (email, first_name, last_name, type, status)
    select 'staff' || n || '@bench.test', 'Sam', 'Staff' || n, 'staff', 'active' from generate_series(1, ?) n`, [Math.round(PROSPECTS / 10)]);
  await knex.raw('alter table sandbox_users enable trigger sandbox_users_seat_count');
  await knex.raw('update sandbox_seat_counter set used = (select count(*) from sandbox_users) where id = 1');
  const [topic] = await knex('sandbox_items').insert({ type: 'topic', title: 'Rule topic', origin: 'own' }).returning('id');
  const [article] = await knex('sandbox_items').insert({ type: 'article', title: 'Rule article', origin: 'own' }).returning('id');
  await knex.raw('analyze sandbox_users');
  await knex.raw('analyze sandbox_items');
  return [(topic as { id: number }).id, (article as { id: number }).id];
}

export const enrolSelectedBench: Bench = {
  name: 'rule backfill: enrolments.enrolSelected vs a raw INSERT … SELECT',
  async run(ctx: BenchContext) {
    // Its own database, created through DATABASE_URL (npm run bench requires it) and dropped at the end.
    const db = await createTestDatabase();
    try {
      const { knex } = db;
      await migrateSandbox(knex);
      const loaded = loadSandboxConfig(ENV, { dataDir: '/tmp' });
      if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
      const sandbox = await createSandbox({ knex, config: loaded.config, quiet: true, sessionPruneIntervalMs: 0 });
      const [topicId, articleId] = await seed(knex);
      const users = sandbox.host.users.selectByType!(['prospect']);
      const select = {
        sql: `select u.id as user_id, i.item_type, i.item_id from (${users.sql}) as u cross join (values ('topic', ?::text), ('article', ?::text)) as i (item_type, item_id)`,
        bindings: [...users.bindings, String(topicId), String(articleId)],
      };
      const want = PROSPECTS * 2;
      const empty = async () => {
        await knex.raw('truncate sandbox_enrolments');
        await knex.raw('vacuum analyze sandbox_enrolments');
      };
      const timed = async (work: () => Promise<number>): Promise<number> => {
        await empty();
        const started = process.hrtime.bigint();
        const created = await work();
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (created !== want) throw new Error(`expected ${want} enrolments, made ${created}`);
        return ms;
      };
      const raw = () => timed(async () => {
        const result = await knex.raw(`with made as (
            insert into sandbox_enrolments (user_id, item_type, item_id, source, source_kind, source_ref, created_at)
            select u.id, i.item_type, i.item_id, 'rule', 'rule', 'bench', now()
              from sandbox_users u cross join (values ('topic', ?::text), ('article', ?::text)) as i (item_type, item_id)
             where u.type = 'prospect'
            on conflict (user_id, item_type, item_id) do nothing returning 1
          ) select count(*)::int as n from made`, [String(topicId), String(articleId)]);
        return (result.rows as { n: number }[])[0]!.n;
      });
      const port = () => timed(async () => (await sandbox.host.enrolments.enrolSelected!(select, { kind: 'rule', ref: 'bench' })).created);
      const ratios: number[] = [];
      for (let pair = 0; pair < PAIRS; pair++) {
        const first = pair % 2 === 0 ? 'raw' : 'port';
        const a = first === 'raw' ? await raw() : await port();
        const b = first === 'raw' ? await port() : await raw();
        const [rawMs, portMs] = first === 'raw' ? [a, b] : [b, a];
        ratios.push(portMs / rawMs);
        ctx.log(`pair ${pair + 1} (${first} first): raw INSERT … SELECT ${rawMs.toFixed(0)} ms, enrolSelected ${portMs.toFixed(0)} ms, ratio ${(portMs / rawMs).toFixed(2)}`);
      }
      const ratio = stats(ratios);
      ctx.log(`${want.toLocaleString('en-GB')} enrolments: enrolSelected ÷ raw = ${range(ratio)} (target ≤ ${TARGETS.backfillVsRaw})`);
      await sandbox.close();
      return { backfillEnrolments: want, backfillVsRaw: round(ratio.median), backfillVsRawMin: ratio.min, backfillVsRawMax: ratio.max, backfillOk: ratio.median <= TARGETS.backfillVsRaw };
    } finally {
      await db.destroy();
    }
  },
};
