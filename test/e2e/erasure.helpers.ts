/*
 * The scan behind the erasure tests: every text and JSON column of every `selfreg_` table, read from
 * information_schema (so a table a feature adds later is scanned too), searched for a person's
 * email, names and user id.
 */
import type { Knex } from 'knex';

export interface ScannedPerson {
  readonly id: string;
  readonly email: string;
  readonly names: readonly string[];
}

const TEXT_TYPES = ['text', 'character varying', 'character', 'json', 'jsonb'];

/** Every `selfreg_` column that can hold text, as `table.column`. */
export async function textColumns(knex: Knex): Promise<{ table: string; column: string; type: string }[]> {
  const rows = await knex.raw(
    `select table_name as t, column_name as c, data_type as d from information_schema.columns
     where table_schema = current_schema() and table_name like 'selfreg\\_%' and data_type in (${TEXT_TYPES.map(() => '?').join(', ')})
     order by table_name, ordinal_position`,
    TEXT_TYPES,
  );
  return (rows.rows as { t: string; c: string; d: string }[]).map((r) => ({ table: r.t, column: r.c, type: r.d }));
}

const literal = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Where the person still appears: `table.column (n rows)` for each column holding their email or a
 * name (anywhere in the value, ignoring case), or their id (the whole value, or standing alone
 * inside it: ids are made long and unlike any other number in these tests).
 */
export async function personalDataHits(knex: Knex, person: ScannedPerson): Promise<string[]> {
  const hits: string[] = [];
  const needles = [person.email, ...person.names].filter((n) => n.length >= 3);
  for (const { table, column } of await textColumns(knex)) {
    const value = `"${column}"::text`;
    const tests = [...needles.map(() => `${value} ilike ?`), `${value} = ?`, `${value} ~ ?`];
    const bindings = [...needles.map((n) => `%${literal(n)}%`), person.id, `(^|[^0-9A-Za-z])${person.id}([^0-9A-Za-z]|$)`];
    const row = await knex.raw(`select count(*) as n from "${table}" where ${tests.join(' or ')}`, bindings);
    const n = Number((row.rows as { n: string | number }[])[0]?.n ?? 0);
    if (n > 0) hits.push(`${table}.${column} (${n} rows)`);
  }
  return hits;
}

/** Makes the host's next user ids long and distinctive (no item, token or count shares them). */
export async function distinctiveUserIds(knex: Knex, from: number): Promise<void> {
  await knex.raw("select setval(pg_get_serial_sequence('sandbox_users', 'id'), ?)", [from]);
}
