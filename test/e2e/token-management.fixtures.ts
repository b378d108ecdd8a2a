/* Shared by the token-management e2e suites: the plugin's use cases, API keys and the seeded topics. */
import type { TestSandbox } from '../sandbox/helpers.js';
import type { CreateTokenUseCase } from '../../src/application/tokens/create-token.use-case.js';
import type { GetTokenQuery } from '../../src/application/tokens/get-token.query.js';
import { TYPES } from '../../src/types.js';
import { pluginOf } from '../support/plugin-of.js';
import type { Person } from '../support/sign-in.js';

/** The plugin's own use cases, to set a scene or read a token as an admin would. */
export const useCases = (t: TestSandbox) => {
  const container = pluginOf(t).container;
  return { createToken: container.get<CreateTokenUseCase>(TYPES.CreateTokenUseCase), getToken: container.get<GetTokenQuery>(TYPES.GetTokenQuery) };
};

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
