/*
 * The sandbox's database: PostgreSQL when DATABASE_URL is set, otherwise an embedded PGlite
 * (a directory under the data dir, or in memory for tests). PGlite has a single connection:
 * statements issued outside an open transaction wait until it ends.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import knexFactory from 'knex';
import type { Knex } from 'knex';
import ClientPgLite from 'knex-pglite';

export interface KnexOptions {
  /** postgres:// URL; when absent PGlite is used. */
  databaseUrl?: string;
  /** Directory holding `pglite/` (default `./.data`). */
  dataDir?: string;
  /** PGlite in memory (tests); ignored when `databaseUrl` is given. */
  memory?: boolean;
}

export function createKnex(config: KnexOptions): Knex {
  if (config.databaseUrl) {
    return knexFactory({ client: 'pg', connection: config.databaseUrl, pool: { min: 0, max: 10 } });
  }
  let connection: Record<string, string> = {};
  if (!config.memory) {
    const dir = path.resolve(config.dataDir ?? './.data');
    mkdirSync(dir, { recursive: true });
    connection = { filename: path.join(dir, 'pglite') };
  }
  // knex-pglite forces its own single-connection pool: passing `pool` throws.
  return knexFactory({ client: ClientPgLite, dialect: 'postgres', connection } as Knex.Config);
}

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Brings the sandbox's own tables (`sandbox_*`) up to date. */
export async function migrateSandbox(knex: Knex): Promise<void> {
  await knex.migrate.latest({ directory: MIGRATIONS_DIR, tableName: 'sandbox_migrations', loadExtensions: ['.ts'] });
}
