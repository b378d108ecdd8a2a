import type { Knex } from 'knex';

/** `(?, ?, …)` for `values`, to bind in raw SQL (arrays do not bind alike on node-postgres and PGlite). */
export const placeholders = (values: readonly unknown[]): string => `(${values.map(() => '?').join(', ')})`;

/** How many rows a statement with `returning` answered (knex-pglite reports no affected-row count). */
export const rowCount = (result: unknown): number => {
  if (Array.isArray(result)) return result.length;
  const rows = (result as { rows?: unknown[] } | null)?.rows;
  return Array.isArray(rows) ? rows.length : 0;
};

/** Runs a raw statement ending in `returning …` on `db` and counts its rows. */
export async function changed(db: Knex, sql: string, bindings: readonly unknown[]): Promise<number> {
  return rowCount(await db.raw(sql, bindings as Knex.RawBinding[]));
}
