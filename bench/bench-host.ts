/*
 * The sandbox host a benchmark measures: its own database, migrated and seeded, the plugin loaded
 * with every rate limit off and its outbox worker stopped (no mail work competes with the load),
 * and a token to register with.
 */
import type { Knex } from 'knex';
import { createSandbox } from '../sandbox/app.js';
import { migrateSandbox } from '../sandbox/db.js';
import { seedDemo } from '../sandbox/seed.js';
import { loadSandboxConfig } from '../sandbox/config.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { TYPES } from '../src/types.js';
import { TokenCode } from '../src/domain/tokens/token-code.js';
import { randomSource } from '../src/adapters/crypto/crypto.adapters.js';
import type { TokenRepository } from '../src/domain/ports/token-repository.port.js';
import type { OutboxWorker } from '../src/adapters/mail/outbox.worker.js';
import type { SelfRegistrationPlugin } from '../src/plugin.js';

export const BENCH_ENV = { SELFREG_SECRET: 'bench-secret-bench-secret-bench-secret-1', ADMIN_PASSWORD: 'correct horse battery', SEAT_LIMIT: 'unlimited', PUBLIC_BASE_URL: 'http://127.0.0.1' };
const LIMITS_OFF = { rateLimitIp: 'off', rateLimitEmail: 'off', rateLimitToken: 'off', rateLimitUnknownCode: 'off' };

export interface BenchSandbox {
  readonly db: TestDatabase;
  readonly knex: Knex;
  readonly plugin: SelfRegistrationPlugin;
  readonly sandbox: Awaited<ReturnType<typeof createSandbox>>;
}

export async function startBenchSandbox(): Promise<BenchSandbox> {
  const db = await createTestDatabase();
  const { knex } = db;
  const loaded = loadSandboxConfig(BENCH_ENV, { dataDir: '/tmp/selfreg-bench-unused' });
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  await migrateSandbox(knex);
  await seedDemo(knex, loaded.config);
  const sandbox = await createSandbox({ knex, config: loaded.config, quiet: true, sessionPruneIntervalMs: 0 });
  await sandbox.loadPlugin({ options: LIMITS_OFF });
  const plugin = sandbox.plugin!.instance as SelfRegistrationPlugin;
  await plugin.container.get<OutboxWorker>(TYPES.OutboxWorker).stop();
  return { db, knex, plugin, sandbox };
}

/** An open token (no expiry, no limit) named 'Bench' on `item`: its display code and id. */
export async function benchToken(plugin: SelfRegistrationPlugin, item: { type: 'topic'; id: string }): Promise<{ code: string; tokenId: string }> {
  const code = TokenCode.generate(randomSource);
  const token = await plugin.container.get<TokenRepository>(TYPES.TokenRepository).insert({
    item, nickname: 'Bench', normalisedCode: code.normalised, displayCode: code.display, custom: false, expiresAt: null, maxUses: null, createdBy: null,
  });
  return { code: code.display, tokenId: token!.id };
}
