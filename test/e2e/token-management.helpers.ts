/* Shared by the token-management e2e suites: signed-in agents with their CSRF token, and API keys. */
import supertest from 'supertest';
import type { TestSandbox } from '../sandbox/helpers.js';
import type { SelfRegistrationPlugin } from '../../src/plugin.js';
import type { CsrfTokens } from '../../src/adapters/crypto/crypto.adapters.js';
import type { TokensService } from '../../src/application/tokens/tokens.service.js';
import { TYPES } from '../../src/container/types.js';

export type Agent = ReturnType<typeof supertest.agent>;

export interface Person {
  readonly agent: Agent;
  /** A CSRF token valid for this agent's session (the plugin's own issuer, as a panel would print it). */
  readonly csrf: string;
  readonly id: string;
}

export const plugin = (t: TestSandbox): SelfRegistrationPlugin => t.sandbox.plugin!.instance as SelfRegistrationPlugin;
export const tokensService = (t: TestSandbox): TokensService => plugin(t).container.get<TokensService>(TYPES.TokensService);

/** Signs in and derives the CSRF token of the new session, so refusals can be proven to be about permission. */
export async function signIn(t: TestSandbox, label: string): Promise<Person> {
  const account = t.accounts[label]!;
  const agent = supertest.agent(t.sandbox.app);
  const res = await agent.post('/login').type('form').send({ email: account.email, password: account.password });
  if (res.status !== 303) throw new Error(`Sign-in as ${label} failed with ${res.status}`);
  const raw = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('sandbox.sid='))!;
  const signed = decodeURIComponent(raw.split(';')[0]!.slice('sandbox.sid='.length));
  const sessionId = signed.slice(2, signed.lastIndexOf('.'));
  const csrf = plugin(t).container.get<CsrfTokens>(TYPES.Csrf).issue(sessionId);
  const row = await t.knex('sandbox_users').whereRaw('lower(email) = lower(?)', [account.email]).first('id');
  return { agent, csrf, id: String(row.id) };
}

export const csrfIn = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** Creates an API key through the portal panel's form, as a Super admin would, and reads it off the page. */
export async function createApiKey(admin: Person, name: string): Promise<string> {
  const res = await admin.agent.post('/admin/self-registration/api-keys').type('form').send({ _csrf: admin.csrf, name, returnTo: '/admin/portal' });
  if (res.status !== 201) throw new Error(`Creating an API key answered ${res.status}`);
  const key = /value="(srk_[A-Za-z0-9_-]{43})"/.exec(res.text)?.[1];
  if (!key) throw new Error('No key on the page');
  return key;
}

export async function ownTopic(t: TestSandbox, n = 0): Promise<{ id: string; title: string }> {
  const rows = await t.knex('sandbox_items').where({ type: 'topic', origin: 'own' }).orderBy('id');
  return { id: String(rows[n].id), title: rows[n].title };
}
