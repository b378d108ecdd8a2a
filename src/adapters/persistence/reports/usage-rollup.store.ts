import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { UsageRollupPort } from '../../../domain/ports/usage-rollup.port.js';
import { TYPES } from '../../../types.js';

const STEPS = `1 | (case when r.activated_at is not null then 2 else 0 end) | (case when r.started_at is not null then 4 else 0 end) | (case when r.completed_at is not null then 8 else 0 end)`;
const SUMS = ['registrations', 'new_accounts', 'existing_accounts', 'activated', 'started', 'completed'] as const;
const sums = SUMS.map((c) => `sum(${c}) as ${c}`).join(', ');
const adds = (table: string) => SUMS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ');

/**
 * Folds registrations into the usage totals in ONE statement: it takes a batch of pending rows
 * (partial index on rollup_pending; rows another fold holds are skipped), marks them folded with the
 * steps they have now, and adds to each (day, campaign) and (day, item) total what changed since the
 * last fold: a new registration, or a step newly reached. Steps are only ever reached, never undone,
 * so the totals only grow and a row folded twice adds nothing twice.
 */
@injectable()
export class KnexUsageRollup implements UsageRollupPort {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async fold(timeZone: string, limit: number): Promise<number> {
    const sql = `
      with batch as (
        select id from selfreg_registrations where rollup_pending order by id limit ? for update skip locked
      ), folded as (
        update selfreg_registrations r set rollup_pending = false, rolled_steps = ${STEPS}
        from batch b, selfreg_registrations o
        where r.id = b.id and o.id = b.id
        returning r.created_at, r.item_type, r.item_id, r.new_user, r.utm_source, r.utm_medium, r.utm_campaign, o.rolled_steps as before, r.rolled_steps as after
      ), deltas as (
        select (created_at at time zone ?)::date as day, item_type, item_id,
          coalesce(utm_source, '') as s, coalesce(utm_medium, '') as m, coalesce(utm_campaign, '') as c,
          count(*) filter (where before & 1 = 0) as registrations,
          count(*) filter (where before & 1 = 0 and new_user) as new_accounts,
          count(*) filter (where before & 1 = 0 and not new_user) as existing_accounts,
          count(*) filter (where before & 2 = 0 and after & 2 <> 0) as activated,
          count(*) filter (where before & 4 = 0 and after & 4 <> 0) as started,
          count(*) filter (where before & 8 = 0 and after & 8 <> 0) as completed,
          count(*) as n
        from folded group by 1, 2, 3, 4, 5, 6
      ), by_item as (
        insert into selfreg_usage_by_item as u (day, item_type, item_id, ${SUMS.join(', ')})
        select day, item_type, item_id, ${sums} from deltas group by 1, 2, 3
        on conflict (day, item_type, item_id) do update set ${adds('u')}
        returning 1
      ), by_campaign as (
        insert into selfreg_usage_by_campaign as u (day, utm_source, utm_medium, utm_campaign, ${SUMS.join(', ')})
        select day, s, m, c, ${sums} from deltas group by 1, 2, 3, 4
        on conflict (day, utm_source, utm_medium, utm_campaign) do update set ${adds('u')}
        returning 1
      )
      select coalesce(sum(n), 0) as n, (select count(*) from by_item) as items, (select count(*) from by_campaign) as campaigns from deltas`;
    const res = await this.knex.raw(sql, [limit, timeZone]);
    const rows = (res.rows ?? res) as { n: string | number }[];
    return Number(rows[0]?.n ?? 0);
  }
}
