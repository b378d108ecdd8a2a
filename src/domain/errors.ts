/**
 * Stable error codes. They cross the HTTP edge unchanged (JSON APIs) or are mapped to messages
 * from the catalogue (pages). Never rename one: hosts and API clients match on them.
 */
export const ErrorCodes = {
  TOKEN_NOT_RECOGNISED: 'TOKEN.NOT_RECOGNISED',
  TOKEN_NOT_FOUND: 'TOKEN.NOT_FOUND',
  TOKEN_DISABLED: 'TOKEN.DISABLED',
  TOKEN_EXPIRED: 'TOKEN.EXPIRED',
  TOKEN_USED_UP: 'TOKEN.USED_UP',
  TOKEN_CODE_TAKEN: 'TOKEN.CODE_TAKEN',
  TOKEN_CODE_INVALID: 'TOKEN.CODE_INVALID',
  TOKEN_CODE_TOO_SHORT: 'TOKEN.CODE_TOO_SHORT',
  TOKEN_NICKNAME_INVALID: 'TOKEN.NICKNAME_INVALID',
  KNOWLEDGE_NOT_FOUND: 'KNOWLEDGE.NOT_FOUND',
  KNOWLEDGE_LIBRARY_CONTENT: 'KNOWLEDGE.LIBRARY_CONTENT',
  REGISTRATION_UNAVAILABLE: 'REGISTRATION.UNAVAILABLE',
  SEATS_EXHAUSTED: 'SEATS.EXHAUSTED',
  LINK_INVALID: 'LINK.INVALID',
  LINK_EXPIRED: 'LINK.EXPIRED',
  LINK_USED: 'LINK.USED',
  PASSWORD_REJECTED: 'PASSWORD.REJECTED',
  PERMISSION_DENIED: 'PERMISSION.DENIED',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** A refusal with its stable code and, where it helps, a detail for the person (never internals). */
export interface Refusal<C extends ErrorCode = ErrorCode> {
  readonly code: C;
  readonly detail?: string;
}

export const refuse = <C extends ErrorCode>(code: C, detail?: string): Refusal<C> =>
  detail === undefined ? { code } : { code, detail };
