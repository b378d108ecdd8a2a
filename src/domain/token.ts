import { err, ok, type Result } from './result.js';
import { ErrorCodes, refuse, type Refusal } from './errors.js';
import type { KnowledgeRef } from './knowledge.js';

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
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
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
  // eslint-disable-next-line no-control-regex
  if (value.length > NICKNAME_MAX_LENGTH || /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value)) {
    return err(refuse(ErrorCodes.TOKEN_NICKNAME_INVALID, `Use at most ${NICKNAME_MAX_LENGTH} characters, without line breaks.`));
  }
  return ok(value);
}
