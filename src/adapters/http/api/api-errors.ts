/* The JSON API's errors: `{ error: { code, message, field? } }` with stable codes and HTTP statuses. */
import type { z } from 'zod';
import { ErrorCodes, type Refusal } from '../../../domain/shared/errors.js';
import type { Result } from '../../../domain/shared/result.js';
import { errorMessage } from '../shared/messages.js';
import { fieldOf } from '../shared/error-fields.js';

/** HTTP status of each refusal code; anything else a use case refuses is a 422. */
const STATUS_OF: Record<string, number> = {
  [ErrorCodes.AUTH_REQUIRED]: 401,
  [ErrorCodes.AUTH_INVALID_KEY]: 401,
  [ErrorCodes.PERMISSION_DENIED]: 403,
  [ErrorCodes.TOKEN_NOT_FOUND]: 404,
  [ErrorCodes.ROUTE_NOT_FOUND]: 404,
  [ErrorCodes.TOKEN_CODE_TAKEN]: 409,
  [ErrorCodes.VALIDATION_FAILED]: 400,
  [ErrorCodes.BODY_TOO_LARGE]: 413,
  [ErrorCodes.BODY_UNSUPPORTED_TYPE]: 415,
  [ErrorCodes.IMPORT_NOT_FOUND]: 404,
  [ErrorCodes.BATCH_NOT_FOUND]: 404,
  [ErrorCodes.WEBHOOK_NOT_FOUND]: 404,
  [ErrorCodes.WEBHOOK_DELIVERY_NOT_FOUND]: 404,
  [ErrorCodes.IMPORT_EXPIRED]: 410,
  [ErrorCodes.IMPORT_FILE_CHANGED]: 409,
  [ErrorCodes.IMPORT_STALE]: 409,
  [ErrorCodes.IMPORT_ALREADY_APPLIED]: 409,
  [ErrorCodes.IMPORT_HAS_ERRORS]: 409,
  [ErrorCodes.IMPORT_TOO_LARGE]: 413,
  [ErrorCodes.RULE_NOT_FOUND]: 404,
  [ErrorCodes.RULE_RUN_IN_PROGRESS]: 409,
  [ErrorCodes.RULE_DISABLED]: 409,
  [ErrorCodes.INTERNAL_ERROR]: 500,
  [ErrorCodes.SERVICE_UNAVAILABLE]: 503,
};

export const statusOf = (code: string): number => STATUS_OF[code] ?? 422;

/** An error the API answers with: a stable code, a message for people, and the field it is about. */
export class ApiError extends Error {
  constructor(readonly code: string, readonly field?: string, message?: string) {
    super(message ?? errorMessage(code));
  }
}

export const validation = (field: string, message: string): ApiError => new ApiError(ErrorCodes.VALIDATION_FAILED, field, message);

/** The first problem zod found, as a field path (`item.type`) and a message a developer can act on. */
export function fromZod(error: z.ZodError, where: 'body' | 'query'): ApiError {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return validation(key, `Unknown ${where === 'body' ? 'field' : 'parameter'} “${key}”.`);
  }
  const field = issue.path.map(String).join('.') || where;
  return validation(field, `${field}: ${issue.message}`);
}

/** A use case's value, or its refusal thrown as the API error it becomes. */
export function unwrap<T>(result: Result<T, Refusal>): T {
  if (result.ok) return result.value;
  throw new ApiError(result.error.code, fieldOf(result.error.code));
}

/** The same errors PostgreSQL clients raise when the database is unreachable. */
export function databaseUnavailable(error: unknown): boolean {
  const e = (error ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof e.code === 'string' && (/^(57P0[123]|53300|08\d{3})$/.test(e.code) || /^E(CONNREFUSED|CONNRESET|TIMEDOUT|HOSTUNREACH|PIPE|AI_AGAIN|NOTFOUND)$/.test(e.code))) return true;
  if (e.name === 'KnexTimeoutError') return true;
  return typeof e.message === 'string' && /Connection terminated|PGlite is closed/i.test(e.message);
}
