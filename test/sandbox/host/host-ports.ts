/*
 * The setup the host-port tests share: a sandbox (fake plugin, no seed) with two seats and an https
 * public URL; before each test no users and no items, and a portal row of known values.
 */
import type { Knex } from 'knex';
import type { HostV1, KnowledgeRef } from '../../../src/contract/index.js';
import { startTestSandbox } from '../helpers.js';
import type { TestSandbox } from '../helpers.js';

export interface HostPorts {
  readonly t: TestSandbox;
  readonly host: HostV1;
  readonly knex: Knex;
}

/** Call inside a describe: registers its hooks and returns the fixture, filled once `before` ran. */
export function useHostPorts(): HostPorts {
  let t: TestSandbox | undefined;
  before(async () => {
    t = await startTestSandbox({ seed: false, env: { SEAT_LIMIT: '2', PUBLIC_BASE_URL: 'https://learn.example.com' } });
  });
  after(async () => t?.destroy());

  beforeEach(async () => {
    await t!.knex('sandbox_users').delete();
    await t!.knex('sandbox_items').delete();
    await t!.knex('sandbox_portal').insert({ id: 1, name: 'Test Portal', primary_admin_email: 'boss@example.com', time_zone: 'Europe/Paris', seat_limit: 2 }).onConflict('id').merge();
  });

  return {
    get t() { return t!; },
    get host() { return t!.sandbox.host; },
    get knex() { return t!.knex; },
  };
}

export const newUser = (email: string) => ({ email, firstName: 'Pat', lastName: 'Prospect', type: 'prospect' as const });

/** A new item of the sandbox's own (no body), as the contract names it. */
export async function itemOf(knex: Knex, type: KnowledgeRef['type'] = 'topic', title = 'T'): Promise<KnowledgeRef> {
  const [row] = await knex('sandbox_items').insert({ type, title, body: '', origin: 'own' }).returning('id');
  return { type, id: String((row as { id: number }).id) };
}

/** Lets the host's fire-and-forget event handlers run before a test looks at what they did. */
export const settle = () => new Promise((r) => setTimeout(r, 30));
