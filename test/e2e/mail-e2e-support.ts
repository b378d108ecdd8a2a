/* Shared by the mail and notification journeys: a token seeded through the plugin's own storage. */
import { signIn } from '../support/sign-in.js';
import type { TokenRepository } from '../../src/domain/ports/token-repository.port.js';
import type { KnowledgeRef } from '../../src/domain/shared/knowledge.js';
import { TokenCode } from '../../src/domain/tokens/token-code.js';
import { TYPES } from '../../src/types.js';
import type { TestSandbox } from '../sandbox/helpers.js';

import { pluginOf } from '../support/plugin-of.js';

export { pluginOf };

/** Creates a custom-code token for `item`, as an admin would, and returns its code. */
export async function seedToken(t: TestSandbox, item: KnowledgeRef, code: string, nickname: string | null): Promise<string> {
  const parsed = TokenCode.custom(code);
  if (!parsed.ok) throw new Error(`bad test code ${code}`);
  const created = await pluginOf(t).container.get<TokenRepository>(TYPES.TokenRepository).insert({
    item, nickname, normalisedCode: parsed.value.normalised, displayCode: parsed.value.display, custom: true, expiresAt: null, maxUses: null, createdBy: null,
  });
  if (!created) throw new Error(`code ${code} taken`);
  return parsed.value.display;
}

/** The page's CSRF token: the one helper, under the name these tests use. */
export { csrfIn as csrfOf } from '../support/csrf.js';

/**
 * Signs in without an agent and returns a cookie header plus a valid CSRF token for that session, so
 * a test can show that a refusal comes from the permission check, not from the CSRF check.
 */
export async function sessionWithCsrf(t: TestSandbox, email: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const { cookie, csrf } = await signIn(t, { email, password });
  return { cookie, csrf };
}
