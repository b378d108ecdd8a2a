/* Shared setup for the sandbox tests: one database per file, a migrated and seeded sandbox. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import supertest from 'supertest';
import { createSandbox } from '../../sandbox/app.js';
import type { Sandbox } from '../../sandbox/app.js';
import { loadSandboxConfig } from '../../sandbox/config.js';
import type { SandboxConfig } from '../../sandbox/config.js';
import { migrateSandbox } from '../../sandbox/db.js';
import { seedDemo } from '../../sandbox/seed.js';
import type { SeededAccount } from '../../sandbox/seed.js';
import { createTestDatabase } from '../support/database.js';

export const ADMIN_PASSWORD = 'correct horse battery';
export const FAKE_PLUGIN = 'test/sandbox/fixtures/fake-plugin.ts';

export interface TestSandbox {
  sandbox: Sandbox;
  knex: Knex;
  config: SandboxConfig;
  /** Seeded accounts by label: 'Super admin', 'Standard admin', 'Staff learner', 'Client learner'. */
  accounts: Record<string, SeededAccount & { password: string }>;
  destroy(): Promise<void>;
}

export function testConfig(env: NodeJS.ProcessEnv = {}): SandboxConfig {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sandbox-test-'));
  const result = loadSandboxConfig({ SELFREG_SECRET: 'test-secret-test-secret-test-secret-123', ADMIN_PASSWORD, ...env }, { dataDir });
  rmSync(dataDir, { recursive: true, force: true });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.config;
}

export async function startTestSandbox(opts: { env?: NodeJS.ProcessEnv; seed?: boolean; plugin?: boolean } = {}): Promise<TestSandbox> {
  const db = await createTestDatabase();
  const config = testConfig(opts.env);
  await migrateSandbox(db.knex);
  const accounts: TestSandbox['accounts'] = {};
  if (opts.seed !== false) {
    const seeded = await seedDemo(db.knex, config);
    for (const a of seeded.accounts ?? []) accounts[a.label] = { ...a, password: a.password ?? ADMIN_PASSWORD };
  }
  const sandbox = await createSandbox({ knex: db.knex, config, quiet: true, sessionPruneIntervalMs: 0 });
  if (opts.plugin !== false) await sandbox.loadPlugin({ entry: FAKE_PLUGIN });
  return {
    sandbox,
    knex: db.knex,
    config,
    accounts,
    async destroy() {
      await sandbox.close();
      await db.destroy();
    },
  };
}

/** Signs in with a fresh cookie-keeping agent. */
export async function signedIn(sandbox: Sandbox, email: string, password: string): Promise<ReturnType<typeof supertest.agent>> {
  const agent = supertest.agent(sandbox.app);
  const res = await agent.post('/login').type('form').send({ email, password });
  if (res.status !== 303) throw new Error(`Sign-in as ${email} failed with ${res.status}`);
  // The sandbox's own forms carry the session's token; this agent sends it with every request.
  const token = /name="_form_token" value="([^"]+)"/.exec((await agent.get('/')).text)?.[1];
  if (token) agent.set('X-Sandbox-Form-Token', token);
  return agent;
}

/** The value of the sandbox session cookie in a response, if it sets one. */
export function sessionCookie(res: { headers: Record<string, unknown> }): string | null {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  const cookie = list.find((c) => c.startsWith('sandbox.sid='));
  return cookie ? cookie.split(';')[0]!.slice('sandbox.sid='.length) : null;
}
