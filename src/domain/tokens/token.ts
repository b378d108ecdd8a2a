import { err, ok, type Result } from '../shared/result.js';
import { hasControlCharacters } from '../shared/text-rules.js';
import { ErrorCodes, refuse, refuseWith, type Refusal } from '../shared/errors.js';
import type { KnowledgeRef } from '../shared/knowledge.js';

export const TOKEN_STATUSES = ['active', 'disabled', 'expired', 'used_up'] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

export const NICKNAME_MAX_LENGTH = 100;

/** A token as stored; the code itself lives only as a digest and a ciphertext in storage. */
export interface Token {
  readonly id: string;
  readonly item: KnowledgeRef;
  readonly nickname: string | null;
  /** Display form of the code (decrypted for admins); absent where the caller may not see it. */
  readonly code?: string;
  readonly custom: boolean;
  readonly enabled: boolean;
  readonly expiresAt: Date | null;
  readonly maxUses: number | null;
  readonly uses: number;
  readonly createdBy: string | null;
  /** Display name of the creator when the token was made (a snapshot: people get renamed or deleted). */
  readonly createdByName?: string | null;
  readonly createdAt: Date;
  /** Last change by an admin (or creation). */
  readonly updatedAt?: Date;
  readonly lastUsedAt: Date | null;
  /** The token this one was copied from when its item was cloned (a disabled draft with a new code). */
  readonly copiedFrom?: string | null;
}

/** Status is derived, never stored: disabled wins, then expiry, then exhaustion. */
export function tokenStatus(token: Pick<Token, 'enabled' | 'expiresAt' | 'maxUses' | 'uses'>, now: Date): TokenStatus {
  if (!token.enabled) return 'disabled';
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (token.maxUses !== null && token.uses >= token.maxUses) return 'used_up';
  return 'active';
}

export type TokenUnusable = Refusal<
  typeof ErrorCodes.TOKEN_DISABLED | typeof ErrorCodes.TOKEN_EXPIRED | typeof ErrorCodes.TOKEN_USED_UP
>;

/** Whether a registrant may use the token now, and if not, the specific reason they are told. */
export function checkUsable(token: Pick<Token, 'enabled' | 'expiresAt' | 'maxUses' | 'uses'>, now: Date): Result<true, TokenUnusable> {
  switch (tokenStatus(token, now)) {
    case 'active':
      return ok(true);
    case 'disabled':
      return err(refuse(ErrorCodes.TOKEN_DISABLED));
    case 'expired':
      return err(refuse(ErrorCodes.TOKEN_EXPIRED));
    case 'used_up':
      return err(refuse(ErrorCodes.TOKEN_USED_UP));
  }
}

/** Nicknames are optional labels for admins: trimmed, at most 100 characters, no control characters. */
export function validateNickname(input: string | null | undefined): Result<string | null, Refusal<typeof ErrorCodes.TOKEN_NICKNAME_INVALID>> {
  const value = (input ?? '').trim();
  if (value === '') return ok(null);
  if (value.length > NICKNAME_MAX_LENGTH || hasControlCharacters(value)) {
    return err(refuseWith(ErrorCodes.TOKEN_NICKNAME_INVALID, { max: NICKNAME_MAX_LENGTH }));
  }
  return ok(value);
}

export const MAX_USES_LIMIT = 1_000_000;

/** Max uses: a whole number from 1 to 1,000,000, or null for unlimited. */
export function validateMaxUses(input: number | null | undefined): Result<number | null, Refusal<typeof ErrorCodes.TOKEN_MAX_USES_INVALID>> {
  if (input === null || input === undefined) return ok(null);
  if (!Number.isInteger(input) || input < 1 || input > MAX_USES_LIMIT) {
    return err(refuseWith(ErrorCodes.TOKEN_MAX_USES_INVALID, { max: MAX_USES_LIMIT }));
  }
  return ok(input);
}

/** What an admin may change on a token. Absent: unchanged. */
export interface TokenPatch {
  readonly nickname?: string | null;
  readonly expiresAt?: Date | null;
  readonly maxUses?: number | null;
  readonly enabled?: boolean;
}

const sameInstant = (a: Date | null, b: Date | null): boolean => (a === null || b === null ? a === b : a.getTime() === b.getTime());

/**
 * Keeps only what really changes, and refuses a limit below the uses already made (lowering it to
 * exactly the uses made is how an admin stops a token at its current count).
 */
export function planTokenChange(
  current: Pick<Token, 'nickname' | 'expiresAt' | 'maxUses' | 'enabled' | 'uses'>,
  patch: TokenPatch,
): Result<TokenPatch, Refusal<typeof ErrorCodes.TOKEN_MAX_USES_BELOW_USES>> {
  const changes: { -readonly [K in keyof TokenPatch]: TokenPatch[K] } = {};
  if (patch.nickname !== undefined && patch.nickname !== current.nickname) changes.nickname = patch.nickname;
  if (patch.expiresAt !== undefined && !sameInstant(patch.expiresAt, current.expiresAt)) changes.expiresAt = patch.expiresAt;
  if (patch.maxUses !== undefined && patch.maxUses !== current.maxUses) {
    if (patch.maxUses !== null && patch.maxUses < current.uses) {
      return err(refuseWith(ErrorCodes.TOKEN_MAX_USES_BELOW_USES, { uses: current.uses }));
    }
    changes.maxUses = patch.maxUses;
  }
  if (patch.enabled !== undefined && patch.enabled !== current.enabled) changes.enabled = patch.enabled;
  return ok(changes);
}

export const hasChanges = (patch: TokenPatch): boolean => Object.keys(patch).length > 0;
