/*
 * One database per test file: an in-memory PGlite by default (about 2 s to start, so do not make
 * one per test), or, when DATABASE_URL is set, a fresh PostgreSQL database `sandbox_test_<random>`
 * created through that URL and dropped by `destroy()`.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import { createKnex } from '../../sandbox/db.js';

export interface TestDatabase {
  knex: Knex;
  destroy(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const knex = createKnex({ memory: true });
    return { knex, destroy: () => knex.destroy() };
  }

  const name = `sandbox_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const knex = createKnex({ databaseUrl: url.toString() });
  let destroyed = false;
  return {
    knex,
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await knex.destroy();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      try {
        await dropper.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
