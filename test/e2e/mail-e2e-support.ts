/* Shared by the mail and notification journeys: a token seeded through the plugin's own storage. */
import type { SelfRegistrationPlugin } from '../../src/plugin.js';
import type { TokenRepository } from '../../src/domain/ports/token-repository.port.js';
import type { KnowledgeRef } from '../../src/domain/shared/knowledge.js';
import { TokenCode } from '../../src/domain/tokens/token-code.js';
import { TYPES } from '../../src/container/types.js';
import supertest from 'supertest';
import type { CsrfTokens } from '../../src/adapters/crypto/crypto.adapters.js';
import { sessionCookie, type TestSandbox } from '../sandbox/helpers.js';

export const pluginOf = (t: TestSandbox): SelfRegistrationPlugin => t.sandbox.plugin!.instance as SelfRegistrationPlugin;

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

export const csrfOf = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/**
 * Signs in without an agent and returns a cookie header plus a valid CSRF token for that session, so
 * a test can show that a refusal comes from the permission check, not from the CSRF check.
 */
export async function sessionWithCsrf(t: TestSandbox, email: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await supertest(t.sandbox.app).post('/login').type('form').send({ email, password });
  const value = sessionCookie(res);
  if (res.status !== 303 || !value) throw new Error(`Sign-in as ${email} failed with ${res.status}`);
  const sessionId = decodeURIComponent(value).replace(/^s:/, '').split('.')[0]!;
  return { cookie: `sandbox.sid=${value}`, csrf: pluginOf(t).container.get<CsrfTokens>(TYPES.Csrf).issue(sessionId) };
}
