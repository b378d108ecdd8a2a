/*
 * The database a kit run hands the host: with DATABASE_URL, a fresh PostgreSQL database created
 * through that URL and dropped afterwards; without it, an in-memory PGlite (one per run: it takes
 * about two seconds to start).
 */
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import type { Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import pg from 'pg';

export interface KitDatabase {
  readonly knex: Knex;
  readonly kind: 'postgresql' | 'pglite';
  destroy(): Promise<void>;
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createKitDatabase(databaseUrl = process.env.DATABASE_URL): Promise<KitDatabase> {
  if (!databaseUrl) {
    const knex = knexFactory({ client: ClientPgLite, dialect: 'postgres', connection: {} } as Knex.Config);
    return { knex, kind: 'pglite', destroy: () => knex.destroy() };
  }
  const name = `conformance_${randomBytes(6).toString('hex')}`;
  await admin(databaseUrl, `create database "${name}"`);
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const knex = knexFactory({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 10 } });
  let destroyed = false;
  return {
    knex,
    kind: 'postgresql',
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await knex.destroy();
      await admin(databaseUrl, `drop database if exists "${name}" with (force)`);
    },
  };
}
