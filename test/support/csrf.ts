/*
 * The one CSRF helper of the e2e tests: read the token a page printed, or issue one for a session
 * with the plugin's own issuer (as a panel would print it), so a test can show that a refusal comes
 * from the permission check and not from a missing token.
 */
import type { CsrfTokens } from '../../src/adapters/crypto/crypto.adapters.js';
import { TYPES } from '../../src/types.js';
import type { TestSandbox } from '../sandbox/helpers.js';
import { pluginOf } from './plugin-of.js';

/** The CSRF token in a page's forms (`name="_csrf"`), or '' when it has none. */
export const csrfIn = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** A CSRF token valid for the session behind a sandbox session cookie value (`s%3A<id>.<signature>`). */
export function csrfForSession(t: TestSandbox, cookieValue: string): string {
  const signed = decodeURIComponent(cookieValue);
  const sessionId = signed.slice(2, signed.lastIndexOf('.'));
  return pluginOf(t).container.get<CsrfTokens>(TYPES.Csrf).issue(sessionId);
}
