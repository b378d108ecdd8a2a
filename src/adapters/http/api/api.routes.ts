import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { inject, injectable } from 'inversify';
import { z } from 'zod';
import type { HttpPort, Mounted } from '../../../contract/index.js';
import { ErrorCodes, type Refusal } from '../../../domain/shared/errors.js';
import type { AuditEntry } from '../../../domain/audit/audit.js';
import { expiryDateInZone } from '../../../domain/tokens/expiry.js';
import { KNOWLEDGE_TYPES, type KnowledgeRef } from '../../../domain/shared/knowledge.js';
import { TOKEN_STATUSES } from '../../../domain/tokens/token.js';
import type { PortalPort } from '../../../domain/ports/host.ports.js';
import type { LoggerPort } from '../../../domain/ports/logger.port.js';
import type { Result } from '../../../domain/shared/result.js';
import type { ApiCaller, ApiKeysService } from '../../../application/api-keys/api-keys.service.js';
import type { RegistrantView, TokensService, TokenWithItem } from '../../../application/tokens/tokens.service.js';
import type { LifecycleContribution } from '../../../container/types.js';
import { TYPES } from '../../../container/types.js';
import { errorMessage } from '../shared/messages.js';
import { deepLink, fieldOf, parseItemParam, portalFacts } from '../admin/token-admin.helpers.js';

export const API_BASE = '/api/self-registration/v1';
const ID_RE = /^\d{1,18}$/;

/** HTTP status of each refusal code; anything else a use case refuses is a 422. */
const STATUS_OF: Record<string, number> = {
  [ErrorCodes.AUTH_REQUIRED]: 401,
  [ErrorCodes.AUTH_INVALID_KEY]: 401,
  [ErrorCodes.PERMISSION_DENIED]: 403,
  [ErrorCodes.TOKEN_NOT_FOUND]: 404,
  [ErrorCodes.ROUTE_NOT_FOUND]: 404,
  [ErrorCodes.TOKEN_CODE_TAKEN]: 409,
  [ErrorCodes.VALIDATION_FAILED]: 400,
  [ErrorCodes.INTERNAL_ERROR]: 500,
  [ErrorCodes.SERVICE_UNAVAILABLE]: 503,
};

/** An error the API answers with: a stable code, a message for people, and the field it is about. */
class ApiError extends Error {
  constructor(readonly code: string, readonly field?: string, message?: string) {
    super(message ?? errorMessage(code));
  }
}

const validation = (field: string, message: string): ApiError => new ApiError(ErrorCodes.VALIDATION_FAILED, field, message);

/** The first problem zod found, as a field path (`item.type`) and a message a developer can act on. */
function fromZod(error: z.ZodError, where: 'body' | 'query'): ApiError {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return validation(key, `Unknown ${where === 'body' ? 'field' : 'parameter'} “${key}”.`);
  }
  const field = issue.path.map(String).join('.') || where;
  return validation(field, `${field}: ${issue.message}`);
}

// ---- Pagination: opaque cursors ------------------------------------------------------------------

const encodeCursor = (beforeId: string | null): string | null => (beforeId === null ? null : Buffer.from(`b:${beforeId}`, 'utf8').toString('base64url'));

function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const decoded = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^b:(\d{1,18})$/.exec(decoded);
  if (!match) throw validation('cursor', 'cursor is not one this API returned: pass `nextCursor` from the previous page unchanged.');
  return match[1]!;
}

// ---- Request schemas (strict: a misspelt or read-only field is named, never silently ignored) ----

const limitParam = z.coerce.number({ error: 'must be a whole number from 1 to 100' }).int('must be a whole number from 1 to 100').min(1, 'must be at least 1').max(100, 'must be at most 100');
const pageQuery = z.strictObject({ limit: limitParam.optional(), cursor: z.string().max(100).optional() });
const listQuery = pageQuery.extend({
  item: z.string().max(100).optional(),
  itemType: z.enum(KNOWLEDGE_TYPES).optional(),
  status: z.enum(TOKEN_STATUSES).optional(),
  q: z.string().max(100).optional(),
});
const auditQuery = pageQuery.extend({ item: z.string().max(100).optional(), tokenId: z.string().regex(ID_RE, 'must be a token id').optional() });

const itemRef = z.union(
  [z.strictObject({ type: z.enum(KNOWLEDGE_TYPES), id: z.string().min(1).max(64) }), z.string().max(100)],
  { error: 'must be { "type": "topic" | "article" | "pathway", "id": "…" } or "type:id"' },
);
const nullableText = (max: number) => z.string().max(max, `must be at most ${max} characters`).nullable().optional();
const date = z.string().max(20).nullable().optional();
const maxUses = z.number({ error: 'must be a whole number or null' }).int('must be a whole number').nullable().optional();

const createBody = z.strictObject({
  item: itemRef,
  nickname: nullableText(200),
  customCode: nullableText(128),
  expiresOn: date,
  maxUses,
});
const updateBody = z.strictObject({
  nickname: nullableText(200),
  expiresOn: date,
  maxUses,
  enabled: z.boolean({ error: 'must be true or false' }).optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, where: 'body' | 'query'): T {
  const parsed = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!parsed.success) {
    if (where === 'body' && (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw validation('body', 'Send a JSON object with Content-Type: application/json.');
    }
    throw fromZod(parsed.error, where);
  }
  return parsed.data;
}

function itemOf(value: z.infer<typeof itemRef>): KnowledgeRef {
  if (typeof value !== 'string') return value;
  const ref = parseItemParam(value);
  if (!ref) throw validation('item', 'item must be { "type": "topic" | "article" | "pathway", "id": "…" } or "type:id".');
  return ref;
}

/** The same errors PostgreSQL clients raise when the database is unreachable. */
function databaseUnavailable(error: unknown): boolean {
  const e = (error ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof e.code === 'string' && (/^(57P0[123]|53300|08\d{3})$/.test(e.code) || /^E(CONNREFUSED|CONNRESET|TIMEDOUT|HOSTUNREACH|PIPE|AI_AGAIN|NOTFOUND)$/.test(e.code))) return true;
  if (e.name === 'KnexTimeoutError') return true;
  return typeof e.message === 'string' && /Connection terminated|PGlite is closed/i.test(e.message);
}

type Handler = (req: Request, res: Response, caller: ApiCaller) => Promise<void>;

/**
 * The JSON API (`/api/self-registration/v1`): tokens, their registrations and the audit log.
 * Bearer API keys only — cookies and sessions are never read, so there is nothing for CSRF to
 * abuse. Every answer is JSON; errors are `{ error: { code, message, field? } }` with stable codes
 * and never carry internals. Pages are newest first with opaque cursors.
 */
@injectable()
export class ApiRoutes implements LifecycleContribution {
  private mounted: Mounted | null = null;

  constructor(
    @inject(TYPES.Http) private readonly http: HttpPort,
    @inject(TYPES.TokensService) private readonly tokens: TokensService,
    @inject(TYPES.ApiKeysService) private readonly apiKeys: ApiKeysService,
    @inject(TYPES.Portal) private readonly portal: PortalPort,
    @inject(TYPES.Logger) private readonly logger: LoggerPort,
  ) {}

  start(): void {
    this.mounted = this.http.mount(API_BASE, this.router(), 'api');
  }

  stop(): void {
    this.mounted?.unmount();
    this.mounted = null;
  }

  router(): Router {
    const router = express.Router();
    router.use((_req, res, next) => {
      res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      next();
    });
    // Authenticate before reading a body: an anonymous caller learns nothing but "authenticate".
    router.use((req, res, next) => this.authenticate(req, res, next));
    router.use(express.json({ limit: '20kb', strict: true }));

    const route = (handler: Handler) => (req: Request, res: Response, next: NextFunction) => {
      handler(req, res, res.locals.selfregCaller as ApiCaller).catch(next);
    };
    router.get('/tokens', route((req, res, c) => this.list(req, res, c)));
    router.post('/tokens', route((req, res, c) => this.create(req, res, c)));
    router.get('/tokens/:id', route((req, res, c) => this.get(req, res, c)));
    router.patch('/tokens/:id', route((req, res, c) => this.update(req, res, c)));
    router.post('/tokens/:id/disable', route((req, res, c) => this.toggle(req, res, c, false)));
    router.post('/tokens/:id/enable', route((req, res, c) => this.toggle(req, res, c, true)));
    router.delete('/tokens/:id', route((req, res, c) => this.remove(req, res, c)));
    router.get('/tokens/:id/registrations', route((req, res, c) => this.registrations(req, res, c)));
    router.get('/audit', route((req, res, c) => this.audit(req, res, c)));

    router.use((_req, _res, next) => next(new ApiError(ErrorCodes.ROUTE_NOT_FOUND)));
    router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => this.fail(error, req, res));
    return router;
  }

  private async authenticate(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      const caller = await this.apiKeys.authenticate(req.get('authorization'));
      if (!caller.ok) {
        res.set('WWW-Authenticate', caller.error.code === ErrorCodes.AUTH_REQUIRED ? 'Bearer realm="self-registration"' : 'Bearer realm="self-registration", error="invalid_token"');
        return next(new ApiError(caller.error.code));
      }
      res.locals.selfregCaller = caller.value;
      next();
    } catch (error) {
      next(error);
    }
  }

  // ---- Tokens -----------------------------------------------------------------------------------

  private async list(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const q = parse(listQuery, req.query, 'query');
    const item = q.item === undefined ? undefined : parseItemParam(q.item);
    if (item === null) throw validation('item', 'item must be "type:id", e.g. "topic:12".');
    const beforeId = decodeCursor(q.cursor);
    const found = unwrap(
      await this.tokens.search(c.user, {
        ...(q.limit !== undefined && { limit: q.limit }),
        ...(q.q !== undefined && { q: q.q }),
        ...(q.status && { status: q.status }),
        ...(q.itemType && { itemType: q.itemType }),
        ...(item && { item }),
        ...(beforeId && { beforeId }),
      }),
    );
    const fmt = await this.formatter();
    res.json({ data: found.tokens.map(fmt), total: found.total, nextCursor: encodeCursor(found.nextBeforeId) });
  }

  private async get(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const token = unwrap(await this.tokens.get(c.user, tokenId(req)));
    res.json((await this.formatter())(token));
  }

  private async create(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const body = parse(createBody, req.body, 'body');
    const created = unwrap(
      await this.tokens.create(c.user, itemOf(body.item), {
        nickname: body.nickname ?? null,
        customCode: body.customCode ?? null,
        expiresOn: body.expiresOn ?? null,
        maxUses: body.maxUses ?? null,
      }, c.channel),
    );
    const token = unwrap(await this.tokens.get(c.user, created.id));
    res.status(201).location(`${API_BASE}/tokens/${token.id}`).json((await this.formatter())(token));
  }

  private async update(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const id = tokenId(req);
    const body = parse(updateBody, req.body, 'body');
    unwrap(
      await this.tokens.update(c.user, id, {
        ...(body.nickname !== undefined && { nickname: body.nickname }),
        ...(body.expiresOn !== undefined && { expiresOn: body.expiresOn }),
        ...(body.maxUses !== undefined && { maxUses: body.maxUses }),
        ...(body.enabled !== undefined && { enabled: body.enabled }),
      }, c.channel),
    );
    res.json((await this.formatter())(unwrap(await this.tokens.get(c.user, id))));
  }

  private async toggle(req: Request, res: Response, c: ApiCaller, enabled: boolean): Promise<void> {
    const id = tokenId(req);
    unwrap(await this.tokens.setEnabled(c.user, id, enabled, c.channel));
    res.json((await this.formatter())(unwrap(await this.tokens.get(c.user, id))));
  }

  private async remove(req: Request, res: Response, c: ApiCaller): Promise<void> {
    unwrap(await this.tokens.delete(c.user, tokenId(req), c.channel));
    res.status(204).end();
  }

  private async registrations(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const id = tokenId(req);
    const q = parse(pageQuery, req.query, 'query');
    const beforeId = decodeCursor(q.cursor);
    const page = unwrap(await this.tokens.registrations(c.user, id, { ...(q.limit !== undefined && { limit: q.limit }), ...(beforeId && { beforeId }) }));
    res.json({ data: page.registrations.map(registrationJson), total: page.total, nextCursor: encodeCursor(page.nextBeforeId) });
  }

  private async audit(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const q = parse(auditQuery, req.query, 'query');
    const item = q.item === undefined ? undefined : parseItemParam(q.item);
    if (item === null) throw validation('item', 'item must be "type:id", e.g. "topic:12".');
    const beforeId = decodeCursor(q.cursor);
    const page = unwrap(
      await this.tokens.activity(c.user, {
        ...(q.limit !== undefined && { limit: q.limit }),
        ...(item && { item }),
        ...(q.tokenId && { tokenId: q.tokenId }),
        ...(beforeId && { beforeId }),
      }),
    );
    res.json({ data: page.entries.map(auditJson), nextCursor: encodeCursor(page.nextBeforeId) });
  }

  // ---- Output -----------------------------------------------------------------------------------

  private async formatter(): Promise<(t: TokenWithItem) => Record<string, unknown>> {
    const { publicBaseUrl, timeZone } = await portalFacts(this.portal);
    return (t) => ({
      id: t.id,
      item: { type: t.item.type, id: t.item.id, title: t.itemInfo?.title ?? null },
      nickname: t.nickname,
      code: t.code ?? null,
      custom: t.custom,
      deepLink: deepLink(publicBaseUrl, t.code),
      status: t.status,
      enabled: t.enabled,
      expiresAt: t.expiresAt?.toISOString() ?? null,
      expiresOn: t.expiresAt ? expiryDateInZone(t.expiresAt, timeZone) : null,
      maxUses: t.maxUses,
      uses: t.uses,
      createdAt: t.createdAt.toISOString(),
      createdBy: t.createdBy === null ? null : { id: t.createdBy, name: t.createdByName },
      updatedAt: t.updatedAt?.toISOString() ?? t.createdAt.toISOString(),
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    });
  }

  private fail(error: unknown, req: Request, res: Response): void {
    let apiError: ApiError;
    const e = (error ?? {}) as { type?: unknown; status?: unknown };
    if (error instanceof ApiError) apiError = error;
    else if (e.type === 'entity.parse.failed') apiError = validation('body', 'The body is not valid JSON.');
    else if (e.type === 'entity.too.large') apiError = validation('body', 'The body is too large (at most 20 kB).');
    else if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') apiError = validation('body', 'Send the body as UTF-8 JSON.');
    else if (databaseUnavailable(error)) {
      this.logger.error('API: database unavailable', { method: req.method, path: req.originalUrl.split('?')[0], error: (error as Error)?.message });
      res.set('Retry-After', '30');
      apiError = new ApiError(ErrorCodes.SERVICE_UNAVAILABLE);
    } else {
      this.logger.error('API: unexpected error', { method: req.method, path: req.originalUrl.split('?')[0], error: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
      apiError = new ApiError(ErrorCodes.INTERNAL_ERROR);
    }
    if (res.headersSent) return void res.end();
    const status = STATUS_OF[apiError.code] ?? 422;
    res.status(status).json({ error: { code: apiError.code, message: apiError.message, ...(apiError.field && { field: apiError.field }) } });
  }
}

/** A use case's value, or its refusal thrown as the API error it becomes. */
function unwrap<T>(result: Result<T, Refusal>): T {
  if (result.ok) return result.value;
  throw new ApiError(result.error.code, fieldOf(result.error.code));
}

function tokenId(req: Request): string {
  const id = String(req.params.id);
  if (!ID_RE.test(id)) throw new ApiError(ErrorCodes.TOKEN_NOT_FOUND);
  return id;
}

function registrationJson(r: RegistrantView): Record<string, unknown> {
  return {
    id: r.id,
    at: r.at.toISOString(),
    newUser: r.newUser,
    item: { type: r.item.type, id: r.item.id },
    tokenNickname: r.tokenNickname,
    user: r.user,
  };
}

function auditJson(e: AuditEntry): Record<string, unknown> {
  return {
    id: e.id,
    at: e.at.toISOString(),
    action: e.action,
    actor: {
      id: e.actor.id,
      name: e.actor.name,
      via: e.actor.via,
      apiKey: e.actor.apiKeyId ? { id: e.actor.apiKeyId, name: e.actor.apiKeyName ?? null } : null,
    },
    token: e.tokenId ? { id: e.tokenId, nickname: e.tokenNickname } : null,
    item: e.item,
    details: e.details,
  };
}
