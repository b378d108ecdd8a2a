/* Shared by the bulk-token suites: a sandbox with the real plugin, an API key, and CSV calls. */
import supertest from 'supertest';
import { startTestSandbox, type TestSandbox } from '../sandbox/helpers.js';
import { signIn, type Person } from '../support/sign-in.js';
import { createApiKey, ownTopic } from './token-management.fixtures.js';

export const API = '/api/self-registration/v1';

export interface BulkScene {
  t: TestSandbox;
  admin: Person;
  key: string;
  topic: { id: string; title: string };
  library: { id: string };
  postCsv(csv: string | Buffer, fileName?: string): supertest.Test;
  apply(id: string, body?: unknown): supertest.Test;
  get(path: string): supertest.Test;
  counts(): Promise<{ tokens: number; audit: number }>;
}

export async function bulkScene(): Promise<BulkScene> {
  const t = await startTestSandbox({ plugin: false, env: { PUBLIC_BASE_URL: 'http://learn.acme.test', TIME_ZONE: 'Europe/London' } });
  await t.sandbox.loadPlugin({ options: { outboxPollMs: 60_000, rateLimitIp: 'off', rateLimitEmail: 'off', rateLimitToken: 'off', rateLimitUnknownCode: 'off' } });
  const admin = await signIn(t, 'Super admin');
  const key = await createApiKey(admin, 'Bulk');
  const topic = await ownTopic(t);
  const lib = await t.knex('sandbox_items').where({ origin: 'library' }).first();
  const api = () => supertest(t.sandbox.app);
  const auth = { Authorization: `Bearer ${key}` };
  return {
    t, admin, key, topic, library: { id: String(lib.id) },
    postCsv: (csv, fileName = 'tokens.csv') => api().post(`${API}/token-imports?fileName=${encodeURIComponent(fileName)}`).set(auth).set('Content-Type', 'text/csv').send(typeof csv === 'string' ? Buffer.from(csv) : csv),
    apply: (id, body) => {
      const req = api().post(`${API}/token-imports/${id}/apply`).set(auth);
      if (typeof body === 'string') return req.set('Content-Type', 'text/csv').send(Buffer.from(body));
      return body === undefined ? req : req.send(body as object);
    },
    get: (path) => api().get(`${API}${path}`).set(auth),
    async counts() {
      const [tokens] = await t.knex('selfreg_tokens').count({ n: '*' });
      const [audit] = await t.knex('selfreg_audit_log').count({ n: '*' });
      return { tokens: Number(tokens!.n), audit: Number(audit!.n) };
    },
  };
}

export const nextYear = `${new Date().getUTCFullYear() + 1}-06-30`;
