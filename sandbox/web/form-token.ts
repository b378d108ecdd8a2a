/*
 * The sandbox's own forms carry a token bound to the signed-in session (an HMAC of the session id
 * under a key of its own), checked with the Origin header on every POST of a signed-in person.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

export function csrfToken(secret: string, req: Request): string {
  const id = (req as Request & { sessionID?: string }).sessionID ?? '';
  return id ? createHmac('sha256', `${secret}:sandbox-forms`).update(id).digest('base64url') : '';
}

/** Scripts (and tests) may send the token as this header instead: a cross-site form cannot set a header. */
export const FORM_TOKEN_HEADER = 'x-sandbox-form-token';

export function csrfMatches(secret: string, req: Request, given: unknown): boolean {
  if (given === undefined) given = req.get(FORM_TOKEN_HEADER);
  const want = csrfToken(secret, req);
  if (!want || typeof given !== 'string' || given.length !== want.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(want));
}
