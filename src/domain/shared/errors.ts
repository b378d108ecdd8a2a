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
  // Token management (panels and JSON API)
  TOKEN_EXPIRY_INVALID: 'TOKEN.EXPIRY_INVALID',
  TOKEN_EXPIRY_IN_PAST: 'TOKEN.EXPIRY_IN_PAST',
  TOKEN_MAX_USES_INVALID: 'TOKEN.MAX_USES_INVALID',
  TOKEN_MAX_USES_BELOW_USES: 'TOKEN.MAX_USES_BELOW_USES',
  API_KEY_NOT_FOUND: 'APIKEY.NOT_FOUND',
  API_KEY_NAME_INVALID: 'APIKEY.NAME_INVALID',
  API_KEY_NAME_TAKEN: 'APIKEY.NAME_TAKEN',
  API_KEY_ALREADY_CREATED: 'APIKEY.ALREADY_CREATED',
  AUTH_REQUIRED: 'AUTH.REQUIRED',
  AUTH_INVALID_KEY: 'AUTH.INVALID_KEY',
  VALIDATION_FAILED: 'VALIDATION.FAILED',
  BODY_TOO_LARGE: 'BODY.TOO_LARGE',
  BODY_UNSUPPORTED_TYPE: 'BODY.UNSUPPORTED_TYPE',
  ROUTE_NOT_FOUND: 'ROUTE.NOT_FOUND',
  INTERNAL_ERROR: 'INTERNAL.ERROR',
  SERVICE_UNAVAILABLE: 'SERVICE.UNAVAILABLE',
  // Mail delivery and admin notifications
  MAIL_NOT_FOUND: 'MAIL.NOT_FOUND',
  NOTIFICATION_RECIPIENT_INVALID: 'NOTIFICATION.RECIPIENT_INVALID',
  NOTIFICATION_TOO_MANY_RECIPIENTS: 'NOTIFICATION.TOO_MANY_RECIPIENTS',
  NOTIFICATION_MODE_INVALID: 'NOTIFICATION.MODE_INVALID',
  // Registration page: branding and abuse limits
  BRANDING_INVALID: 'BRANDING.INVALID',
  RATE_LIMITED: 'RATE.LIMITED',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/**
 * A refusal: its stable code and, where the words need them, the facts (`data`: a limit, a count).
 * The words themselves live at the edge (src/adapters/http/shared/messages.ts), keyed by code.
 * `detail` is kept for callers outside the domain that still attach a sentence; the domain does not.
 */
export interface Refusal<C extends ErrorCode = ErrorCode> {
  readonly code: C;
  readonly data?: Readonly<Record<string, string | number | boolean | null>>;
  readonly detail?: string;
}

export const refuse = <C extends ErrorCode>(code: C, detail?: string): Refusal<C> =>
  detail === undefined ? { code } : { code, detail };

/** A refusal with the facts its message needs (`{ max: 100 }`), and no words. */
export const refuseWith = <C extends ErrorCode>(code: C, data: NonNullable<Refusal['data']>): Refusal<C> => ({ code, data });
