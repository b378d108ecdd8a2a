/*
 * Seeds the reports benchmark in bulk, in PostgreSQL itself (generate_series, no HTTP, no rows
 * through Node): 10,000 tokens over 200 items, 1,000,000 registrations spread over a year with every
 * user type, step and a campaign on a quarter of them, 30 days of deep-link view counters per token,
 * and the daily usage totals built from them.
 */
import type { Knex } from 'knex';

export const TOKENS = Number(process.env.BENCH_REPORT_TOKENS ?? 10_000);
export const REGISTRATIONS = Number(process.env.BENCH_REPORT_REGISTRATIONS ?? 1_000_000);
export const ITEMS = 200;
/** The newest registrations are left for the report-counters worker to fold, as if just made. */
export const PENDING = 10_000;

/** The report indexes of selfreg_registrations, dropped while seeding and built again after (faster than keeping them up row by row). */
const INDEXES = [
  'create index selfreg_registrations_token_id_id_idx on selfreg_registrations (token_id, id)',
  'create index selfreg_registrations_item_id_idx on selfreg_registrations (item_type, item_id, id)',
  'create index selfreg_registrations_user_idx on selfreg_registrations (user_id, item_type, item_id)',
  'create index selfreg_registrations_rollup_idx on selfreg_registrations (id) where rollup_pending',
];

export async function seedReports(knex: Knex, timeZone: string): Promise<{ firstTokenId: number; busyTokenId: number }> {
  for (const ddl of INDEXES) await knex.raw(`drop index if exists ${/create index (\S+)/.exec(ddl)![1]}`);
  await knex.raw(`
    insert into selfreg_tokens (item_type, item_id, nickname, code_digest, code_ciphertext, created_at)
    select 'topic', ((i % ${ITEMS}) + 1)::text, 'Bench token ' || i, md5('a' || i) || md5('b' || i), 'x', now() - interval '400 days'
    from generate_series(1, ${TOKENS}) i`);
  const first = Number((await knex('selfreg_tokens').min({ id: 'id' }).first())!.id);
  await knex.raw(`
    insert into selfreg_registrations (token_id, token_nickname, item_type, item_id, user_id, new_user, created_at,
      user_email, user_first_name, user_last_name, user_type, activated_at, started_at, completed_at, outcome,
      utm_source, utm_medium, utm_campaign, rollup_pending, rolled_steps)
    select ${first} + (j % ${TOKENS}), 'Bench token ' || ((j % ${TOKENS}) + 1), 'topic', ((((j % ${TOKENS}) + 1) % ${ITEMS}) + 1)::text,
      (100000 + j)::text, j % 3 <> 0, ts,
      'person' || j || '@bench.test', 'First' || j, 'Last' || j, (array['staff', 'client', 'prospect'])[1 + j % 3],
      case when j % 5 <> 0 then ts + interval '1 hour' end,
      case when j % 5 in (1, 2, 3) then ts + interval '2 hours' end,
      case when j % 5 in (1, 2) then ts + interval '1 day' end,
      case when j % 5 = 1 then 'passed' when j % 5 = 2 then 'failed' end,
      case when j % 4 = 0 then 'newsletter' end, case when j % 4 = 0 then 'email' end, case when j % 4 = 0 then 'spring-' || (j % 7) end,
      j > ${REGISTRATIONS - PENDING},
      case when j > ${REGISTRATIONS - PENDING} then 0 else 1 | (case when j % 5 <> 0 then 2 else 0 end) | (case when j % 5 in (1, 2, 3) then 4 else 0 end) | (case when j % 5 in (1, 2) then 8 else 0 end) end
    from (select j, now() - ((${REGISTRATIONS} - j) * interval '30 seconds') as ts from generate_series(1, ${REGISTRATIONS}) j) s`);
  for (const ddl of INDEXES) await knex.raw(ddl);
  await knex.raw(`
    insert into selfreg_link_views (token_id, day, utm_source, utm_medium, utm_campaign, views)
    select ${first} + t, (current_date - d), case when d % 4 = 0 then 'newsletter' else '' end, case when d % 4 = 0 then 'email' else '' end, '', 1 + (t + d) % 9
    from generate_series(0, ${TOKENS - 1}) t, generate_series(0, 29) d`);
  // The daily totals as the report-counters worker would have folded them (a backfill in one pass;
  // the bench times the worker's fold on a batch of its own).
  const counts = `count(*), count(*) filter (where new_user), count(*) filter (where not new_user), count(activated_at), count(started_at), count(completed_at)`;
  const sums = 'registrations, new_accounts, existing_accounts, activated, started, completed';
  await knex.raw(`insert into selfreg_usage_by_campaign (day, utm_source, utm_medium, utm_campaign, ${sums})
    select (created_at at time zone ?)::date, coalesce(utm_source, ''), coalesce(utm_medium, ''), coalesce(utm_campaign, ''), ${counts}
    from selfreg_registrations where not rollup_pending group by 1, 2, 3, 4`, [timeZone]);
  await knex.raw(`insert into selfreg_usage_by_item (day, item_type, item_id, ${sums})
    select (created_at at time zone ?)::date, item_type, item_id, ${counts} from selfreg_registrations where not rollup_pending group by 1, 2, 3`, [timeZone]);
  await knex.raw(`insert into selfreg_usage_by_campaign as u (day, utm_source, utm_medium, utm_campaign, views)
    select day, utm_source, utm_medium, utm_campaign, sum(views) from selfreg_link_views group by 1, 2, 3, 4
    on conflict (day, utm_source, utm_medium, utm_campaign) do update set views = excluded.views`);
  await knex.raw(`insert into selfreg_usage_by_item as u (day, item_type, item_id, views)
    select v.day, t.item_type, t.item_id, sum(v.views) from selfreg_link_views v join selfreg_tokens t on t.id = v.token_id group by 1, 2, 3
    on conflict (day, item_type, item_id) do update set views = excluded.views`);
  // Autovacuum is off on this machine: statistics and the visibility map are made here.
  for (const table of ['selfreg_tokens', 'selfreg_registrations', 'selfreg_link_views', 'selfreg_usage_by_campaign', 'selfreg_usage_by_item']) await knex.raw(`vacuum analyze ${table}`);
  return { firstTokenId: first, busyTokenId: first + 1 };
}
