/*
 * API keys for the JSON API. A Super admin creates one in the portal panel and sees it once; only
 * its SHA-256 digest is stored. A key acts as the person who created it, with that person's
 * permissions as they are at each call (see docs/api.md).
 */
import { hasControlCharacters } from '../shared/text-rules.js';
import { err, ok, type Result } from '../shared/result.js';
import { ErrorCodes, refuseWith, type Refusal } from '../shared/errors.js';
import type { RandomSource } from '../ports/random.port.js';

/** Every key starts with this, so secret scanners and people recognise one. */
export const API_KEY_PREFIX = 'srk_';
/** 32 random bytes, base64url: 43 characters. */
export const API_KEY_SECRET_BYTES = 32;
const KEY_RE = /^srk_[A-Za-z0-9_-]{43}$/;
/** How much of a key is kept in the clear to tell keys apart in lists (prefix + 6 characters). */
export const API_KEY_HINT_LENGTH = API_KEY_PREFIX.length + 6;
export const API_KEY_NAME_MAX = 100;

export interface ApiKey {
  readonly id: string;
  readonly name: string;
  /** The first characters of the key, e.g. `srk_Ab12Cd`, shown to tell keys apart. */
  readonly hint: string;
  readonly createdBy: string;
  readonly createdByName: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
  readonly revokedByName: string | null;
}

/** A fresh key; the caller shows `key` once and stores only its digest. */
export function generateApiKey(random: RandomSource): { key: string; hint: string } {
  const key = API_KEY_PREFIX + random.secret(API_KEY_SECRET_BYTES);
  return { key, hint: key.slice(0, API_KEY_HINT_LENGTH) };
}

export const looksLikeApiKey = (value: string): boolean => KEY_RE.test(value);

/**
 * The key in an `Authorization: Bearer <key>` header; null when the header is absent or is not a
 * bearer credential (the scheme is case-insensitive, per RFC 9110).
 */
export function bearerKey(header: string | undefined | null): string | null {
  if (typeof header !== 'string' || header.length > 200) return null;
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  return match ? match[1]! : null;
}

export function validateApiKeyName(input: string | null | undefined): Result<string, Refusal<typeof ErrorCodes.API_KEY_NAME_INVALID>> {
  const value = (input ?? '').trim().replace(/\s+/g, ' ');
  if (value === '' || value.length > API_KEY_NAME_MAX || hasControlCharacters(value)) {
    return err(refuseWith(ErrorCodes.API_KEY_NAME_INVALID, { max: API_KEY_NAME_MAX }));
  }
  return ok(value);
}
