/* Reading API requests: strict schemas (a misspelt or read-only field is named, never ignored), opaque cursors, ids. */
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import type { KnowledgeRef } from '../../../domain/shared/knowledge.js';
import type { ApiCaller } from '../../../application/api-keys/api-caller.js';
import { parseItemParam } from '../shared/item-param.js';
import { ApiError, fromZod, validation } from './api-errors.js';

export const ID_RE = /^\d{1,18}$/;

const limitParam = z.coerce.number({ error: 'must be a whole number from 1 to 100' }).int('must be a whole number from 1 to 100').min(1, 'must be at least 1').max(100, 'must be at most 100');
export const pageQuery = z.strictObject({ limit: limitParam.optional(), cursor: z.string().max(100).optional() });

export function parse<T>(schema: z.ZodType<T>, value: unknown, where: 'body' | 'query'): T {
  const parsed = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!parsed.success) {
    if (where === 'body' && (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw validation('body', 'Send a JSON object with Content-Type: application/json.');
    }
    throw fromZod(parsed.error, where);
  }
  return parsed.data;
}

export const encodeCursor = (beforeId: string | null): string | null => (beforeId === null ? null : Buffer.from(`b:${beforeId}`, 'utf8').toString('base64url'));

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const decoded = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^b:(\d{1,18})$/.exec(decoded);
  if (!match) throw validation('cursor', 'cursor is not one this API returned: pass `nextCursor` from the previous page unchanged.');
  return match[1]!;
}

/** An `item` query parameter ("type:id"), when given. */
export function itemQuery(value: string | undefined): KnowledgeRef | undefined {
  if (value === undefined) return undefined;
  const item = parseItemParam(value);
  if (item === null) throw validation('item', 'item must be "type:id", e.g. "topic:12".');
  return item;
}

export function tokenId(req: Request): string {
  const id = String(req.params.id);
  if (!ID_RE.test(id)) throw new ApiError(ErrorCodes.TOKEN_NOT_FOUND);
  return id;
}

export type ApiHandler = (req: Request, res: Response, caller: ApiCaller) => Promise<void>;

/** A route handler called with the authenticated caller (see ApiGate); its errors go to the API's error answer. */
export const handle = (handler: ApiHandler) => (req: Request, res: Response, next: NextFunction): void => {
  handler(req, res, res.locals.selfregCaller as ApiCaller).catch(next);
};
