/* Shared by the enrolment rules suites: a sandbox with the real plugin, an API key, items, tokens and rules. */
import { expect } from 'chai';
import supertest from 'supertest';
import { startTestSandbox, type TestSandbox } from '../sandbox/helpers.js';
import { signIn, type Person } from '../support/sign-in.js';
import { createApiKey } from './token-management.fixtures.js';

export const API = '/api/self-registration/v1';
export type Ref = { type: 'topic' | 'article' | 'pathway'; id: string };

export interface RulesScene {
  t: TestSandbox;
  admin: Person;
  key: string;
  /** Own topics and articles of the seed, and a library item. */
  topics: Ref[];
  library: Ref;
  api(method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object): supertest.Test;
  token(item: Ref, nickname?: string): Promise<{ id: string; code: string }>;
  register(code: string, email: string, query?: string): Promise<supertest.Response>;
  /** Enrolments of a user: item key → source `kind:ref`. */
  enrolments(userId: string): Promise<Record<string, string>>;
  userId(email: string): Promise<string | null>;
  /** Applies a rule and waits for its run to finish (polling the rule, as the panel does). */
  applied(ruleId: string): Promise<{ state: string; created: Record<string, number> }>;
  /** Inserts prospects straight into the host's users (a portal that has them already). */
  seedUsers(n: number, pattern: (i: number) => { email: string; type?: string }): Promise<void>;
}

export async function rulesScene(): Promise<RulesScene> {
  const t = await startTestSandbox({ plugin: false, env: { PUBLIC_BASE_URL: 'http://learn.acme.test', TIME_ZONE: 'Europe/London', SEAT_LIMIT: 'unlimited' } });
  await t.sandbox.loadPlugin({ options: { outboxPollMs: 60_000, rateLimitIp: 'off', rateLimitEmail: 'off', rateLimitToken: 'off', rateLimitUnknownCode: 'off' } });
  const admin = await signIn(t, 'Super admin');
  const key = await createApiKey(admin, 'Rules');
  // Items of its own for each step, so the steps' enrolments never overlap.
  const own = await t.knex('sandbox_items').insert(Array.from({ length: 40 }, (_, i) => ({ type: 'topic', origin: 'own', title: `Rule topic ${i + 1}` }))).returning(['id', 'type']);
  const lib = await t.knex('sandbox_items').where({ origin: 'library' }).first();
  const auth = { Authorization: `Bearer ${key}` };
  const api: RulesScene['api'] = (method, path, body) => {
    const req = supertest(t.sandbox.app)[method](`${API}${path}`).set(auth);
    return body ? req.send(body) : req;
  };
  return {
    t, admin, key, api,
    topics: own.map((r: { type: Ref['type']; id: number }) => ({ type: r.type, id: String(r.id) })),
    library: { type: lib.type, id: String(lib.id) },
    async token(item, nickname = 'Rules') {
      const res = await api('post', '/tokens', { item, nickname }).expect(201);
      return { id: String(res.body.id), code: String(res.body.code) };
    },
    register: (code, email, query = '') =>
      supertest(t.sandbox.app).post(`/register${query}`).type('form').send({ firstName: 'Rule', lastName: 'Person', email, token: code, consent: 'yes' }),
    async enrolments(userId) {
      const rows = await t.knex('sandbox_enrolments').where({ user_id: Number(userId) });
      return Object.fromEntries(rows.map((r: { item_type: string; item_id: string; source_kind: string; source_ref: string | null }) => [`${r.item_type}:${r.item_id}`, `${r.source_kind}:${r.source_ref ?? ''}`]));
    },
    async userId(email) {
      const row = await t.knex('sandbox_users').whereRaw('lower(email) = ?', [email.toLowerCase()]).first();
      return row ? String(row.id) : null;
    },
    async applied(ruleId) {
      await api('post', `/enrolment-rules/${ruleId}/apply`).expect(202);
      for (let i = 0; i < 600; i++) {
        const res = await api('get', `/enrolment-rules/${ruleId}`).expect(200);
        if (res.body.lastRun && res.body.lastRun.state !== 'running') return res.body.lastRun;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('The run did not finish');
    },
    async seedUsers(n, pattern) {
      const rows = Array.from({ length: n }, (_, i) => {
        const p = pattern(i);
        return { email: p.email, first_name: 'Seed', last_name: `N${i}`, type: p.type ?? 'prospect', status: 'active' };
      });
      for (let i = 0; i < rows.length; i += 5000) await t.knex('sandbox_users').insert(rows.slice(i, i + 5000));
    },
  };
}

export const key = (r: Ref): string => `${r.type}:${r.id}`;

export function expectRegistered(res: supertest.Response): void {
  expect(res.status, res.text.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 800)).to.be.oneOf([200, 303]);
}
