/*
 * The one sign-in helper of the e2e tests: signs in through the sandbox's own form with a
 * cookie-keeping agent, and returns what a test needs to act as that person.
 */
import supertest from 'supertest';
import { sessionCookie, type TestSandbox } from '../sandbox/helpers.js';
import { csrfForSession } from './csrf.js';

export type Agent = ReturnType<typeof supertest.agent>;

export interface Person {
  readonly agent: Agent;
  /** A CSRF token valid for this person's session (the plugin's own issuer, as a panel would print it). */
  readonly csrf: string;
  /** The host user id. */
  readonly id: string;
  /** The session as a `Cookie` header, for requests made without the agent. */
  readonly cookie: string;
}

/** Signs in as a seeded account (by label, e.g. 'Super admin') or with an email and password. */
export async function signIn(t: TestSandbox, who: string | { email: string; password: string }): Promise<Person> {
  const { email, password } = typeof who === 'string' ? t.accounts[who]! : who;
  const agent = supertest.agent(t.sandbox.app);
  const res = await agent.post('/login').type('form').send({ email, password });
  const value = sessionCookie(res);
  if (res.status !== 303 || !value) throw new Error(`Sign-in as ${typeof who === 'string' ? who : email} failed with ${res.status}`);
  const row = await t.knex('sandbox_users').whereRaw('lower(email) = lower(?)', [email]).first('id');
  return { agent, csrf: csrfForSession(t, value), id: String(row.id), cookie: `sandbox.sid=${value}` };
}

/** Just the signed-in agent, for tests that need nothing else of the person. */
export const signedInAgent = async (t: TestSandbox, email: string, password: string): Promise<Agent> => (await signIn(t, { email, password })).agent;
