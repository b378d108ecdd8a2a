import type { Knex } from 'knex';
import { preparedStatement } from './knex-helpers.js';

/**
 * Claims up to `limit` due rows of an outbox table (mail, webhook deliveries) for `leaseMs`, oldest
 * first: queued ones whose time has come, and ones whose lease lapsed (their worker died mid-send).
 * One statement, so one round trip and its own transaction: the subquery locks the rows it picks
 * (FOR UPDATE SKIP LOCKED, so concurrent workers never share a row) and the update claims them.
 * The claim counts the try (`attempts + 1`). `scope` (SQL over the table's columns) narrows which
 * rows may be claimed (e.g. only active endpoints'). Every such table has status, attempts,
 * next_attempt_at and locked_until, and a partial index on (next_attempt_at, id) of its unsent rows.
 * The statement is prepared once per connection (it runs every batch).
 */
export async function claimDue<Row>(knex: Knex, table: string, opts: ClaimOptions & { readonly limit: number; readonly leaseMs: number }): Promise<Row[]> {
  return (await preparedStatement(knex, claimDueSql(table, opts), [opts.leaseMs, opts.limit])).rows as Row[];
}

export interface ClaimOptions {
  /** Columns or SQL expressions (`… as name`) of the claimed rows to answer. */
  readonly returning: readonly string[];
  readonly scope?: string;
  /**
   * The claim is the lease alone: the row stays `queued` (a live `locked_until` marks it claimed),
   * so the claim changes no indexed column and PostgreSQL can update it in place (HOT), without
   * new index entries. Without it the claim also moves the row to `sending`.
   */
  readonly leaseOnly?: boolean;
}

/** The claim as one statement, for a caller that builds on it (e.g. a CTE): its bindings are the lease (ms), then the limit. */
export function claimDueSql(table: string, opts: ClaimOptions): string {
  // Oldest due first, through the partial index of unsent rows (sent rows are never scanned).
  // A claimed row keeps its past next_attempt_at, so a lapsed lease is found the same way.
  const free = opts.leaseOnly ? '(locked_until is null or locked_until < now())' : "(status = 'queued' or locked_until < now())";
  return `update ${table} set ${opts.leaseOnly ? '' : "status = 'sending', "}attempts = attempts + 1, locked_until = now() + (? * interval '1 millisecond')
    where id in (
      select id from ${table}
      where status in ('queued', 'sending') and next_attempt_at <= now() and ${free}${opts.scope ? ` and (${opts.scope})` : ''}
      order by next_attempt_at, id limit ? for update skip locked)
    returning ${opts.returning.join(', ')}`;
}
