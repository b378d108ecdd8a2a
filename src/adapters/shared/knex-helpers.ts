import type { Knex } from 'knex';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';

/** The transaction the caller passed, or the shared knex instance. */
export const on = (knex: Knex, tx?: Tx): Knex => (tx as Knex.Transaction | undefined) ?? knex;

/** Knex hands back bigint ids as strings on pg and numbers on PGlite: one form at the boundary. */
export const idString = (value: unknown): string => String(value);

export const dateOrNull = (value: unknown): Date | null => (value == null ? null : new Date(value as string));

type PgConnection = { query(q: { name?: string; text: string; values: unknown[] } | string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> };
type PooledClient = { acquireConnection(): Promise<PgConnection>; releaseConnection(c: PgConnection): unknown };
const prepared = new Map<string, { readonly name: string; readonly text: string }>();

/**
 * Runs one statement (`?` placeholders) outside any transaction as a named prepared statement on
 * node-postgres, so PostgreSQL parses and plans it once per connection instead of on every call (a
 * registration's one statement is large). Other drivers (PGlite) run it as knex would. Observers of
 * knex's 'query' event still see it.
 */
export async function preparedStatement(knex: Knex, sql: string, bindings: readonly unknown[]): Promise<{ rows: Record<string, unknown>[] }> {
  let entry: { readonly name?: string; readonly text: string } | undefined = prepared.get(sql);
  if (!entry) {
    let n = 0;
    const text = sql.replace(/\?/g, () => `$${++n}`);
    // Past a few hundred shapes, statements run unnamed (parsed each time) rather than grow the cache.
    entry = prepared.size < 200 ? { name: `selfreg_${prepared.size + 1}`, text } : { text };
    if (entry.name) prepared.set(sql, { name: entry.name, text });
  }
  const client = knex.client as unknown as PooledClient;
  const conn = await client.acquireConnection();
  if (!('connectionParameters' in (conn as object))) {
    await client.releaseConnection(conn);
    return (await knex.raw(sql, bindings as Knex.RawBinding[])) as { rows: Record<string, unknown>[] };
  }
  try {
    knex.emit('query', { sql: entry.text, bindings, method: 'raw' });
    return await conn.query({ ...(entry.name && { name: entry.name }), text: entry.text, values: bindings.map((v) => (v === undefined ? null : v)) });
  } finally {
    await client.releaseConnection(conn);
  }
}
