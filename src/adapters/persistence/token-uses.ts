import type { Knex } from 'knex';

/*
 * How a token's uses are stored (migration 20261201000100): uses claimed while it was capped in
 * `selfreg_tokens.uses`, uses of an uncapped token in its shards of `selfreg_token_uses`, so that
 * registrations on an uncapped token never write (or lock) the token row. A token's uses are the sum.
 * Admin changes and deletes take the advisory lock of the token's item exclusively; `selfreg_claim_use`
 * takes it shared, so they wait for the claims in flight and every later claim sees them. One lock
 * per item (not per token) keeps a change of 10,000 tokens to one lock, well inside PostgreSQL's lock table.
 */

/** The advisory lock class of tokens (two-key form: it cannot meet the host's one-key locks). */
export const TOKEN_LOCK_CLASS = 1936024434;


/** Extra columns for a select from `selfreg_tokens`: its shards' uses and latest use. */
export function shardColumns(knex: Knex, table = 'selfreg_tokens'): Knex.Raw[] {
  return [
    knex.raw(`(select coalesce(sum(s.uses), 0)::int from selfreg_token_uses s where s.token_id = ${table}.id) as shard_uses`),
    knex.raw(`(select max(s.last_used_at) from selfreg_token_uses s where s.token_id = ${table}.id) as shard_last_used_at`),
  ];
}

/** A token's uses in SQL, for filters (used up, active). */
export const USES_SQL = '(selfreg_tokens.uses + (select coalesce(sum(s.uses), 0) from selfreg_token_uses s where s.token_id = selfreg_tokens.id))';

/** Waits for the claims in flight on the token and holds later ones back until `db`'s transaction ends. */
export async function lockTokenClaims(db: Knex, id: string): Promise<void> {
  await db.raw("select pg_advisory_xact_lock(?, hashtext(item_type || ':' || item_id)) from selfreg_tokens where id = ?", [TOKEN_LOCK_CLASS, id]);
}

/** The same for every token of an item. */
export async function lockItemTokenClaims(db: Knex, item: { type: string; id: string }): Promise<void> {
  await db.raw('select pg_advisory_xact_lock(?, hashtext(?))', [TOKEN_LOCK_CLASS, `${item.type}:${item.id}`]);
}

/** The same for the items of the given tokens (a batch, an import), in a fixed order so two callers cannot deadlock. */
export async function lockClaimsOfTokens(db: Knex, where: string, bindings: readonly unknown[]): Promise<void> {
  await db.raw(
    `select pg_advisory_xact_lock(?, k) from (select distinct hashtext(item_type || ':' || item_id) as k from selfreg_tokens where ${where}) keys order by k`,
    [TOKEN_LOCK_CLASS, ...bindings] as Knex.RawBinding[],
  );
}

/**
 * Deletes the tokens `where` selects, in one statement with what the dropped foreign keys used to
 * do (`on delete set null` on registrations, emailed links and digest entries) and their shards.
 * Returns the deleted rows with their shard columns, as they were.
 */
export async function deleteTokens<R>(db: Knex, where: string, bindings: readonly unknown[]): Promise<R[]> {
  const result = await db.raw(
    `with del as (delete from selfreg_tokens where ${where} returning *),
      r as (update selfreg_registrations set token_id = null where token_id in (select id from del)),
      l as (update selfreg_email_links set token_id = null where token_id in (select id from del)),
      d as (update selfreg_digest_entries set token_id = null where token_id in (select id from del)),
      s as (delete from selfreg_token_uses where token_id in (select id from del))
    select del.*,
      (select coalesce(sum(u.uses), 0)::int from selfreg_token_uses u where u.token_id = del.id) as shard_uses,
      (select max(u.last_used_at) from selfreg_token_uses u where u.token_id = del.id) as shard_last_used_at
    from del`,
    bindings as Knex.RawBinding[],
  );
  return (result as { rows: R[] }).rows;
}
