import type { Knex } from 'knex';

/**
 * Claims up to `limit` due rows of an outbox table (mail, webhook deliveries) for `leaseMs`, oldest
 * first: queued ones whose time has come, and ones whose lease lapsed (their worker died mid-send).
 * One statement, so one round trip and its own transaction: the subquery locks the rows it picks
 * (FOR UPDATE SKIP LOCKED, so concurrent workers never share a row) and the update claims them.
 * The claim counts the try (`attempts + 1`). `scope` narrows which rows may be claimed (e.g. only
 * active endpoints'). Every such table has status, attempts, next_attempt_at and locked_until, and a
 * partial index on (next_attempt_at, id) of its unsent rows.
 */
export async function claimDue<Row>(
  knex: Knex, table: string, opts: {
    readonly limit: number; readonly leaseMs: number; readonly returning: readonly string[]; readonly scope?: (q: Knex.QueryBuilder) => void;
    /**
     * The claim is the lease alone: the row stays `queued` (a live `locked_until` marks it claimed),
     * so the claim changes no indexed column and PostgreSQL can update it in place (HOT), without
     * new index entries. Without it the claim also moves the row to `sending`.
     */
    readonly leaseOnly?: boolean;
  },
): Promise<Row[]> {
  // Oldest due first, through the partial index of unsent rows (sent rows are never scanned).
  // A claimed row keeps its past next_attempt_at, so a lapsed lease is found the same way.
  const due = knex(table)
    .select('id')
    .whereIn('status', ['queued', 'sending'])
    .andWhere('next_attempt_at', '<=', knex.fn.now())
    .andWhere((q) => (opts.leaseOnly
      ? q.whereNull('locked_until').orWhere('locked_until', '<', knex.fn.now())
      : q.where('status', 'queued').orWhere('locked_until', '<', knex.fn.now())))
    .modify((q) => opts.scope?.(q))
    .orderBy([{ column: 'next_attempt_at' }, { column: 'id' }])
    .limit(opts.limit)
    .forUpdate()
    .skipLocked();
  return knex(table)
    .whereIn('id', due)
    .update({
      ...(!opts.leaseOnly && { status: 'sending' }),
      attempts: knex.raw('attempts + 1'),
      locked_until: knex.raw(`now() + (? * interval '1 millisecond')`, [opts.leaseMs]),
    })
    .returning([...opts.returning]) as Promise<Row[]>;
}
