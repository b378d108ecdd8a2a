import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import { TYPES } from '../../../types.js';
import { z } from 'zod';
import type { AuditEntry } from '../../../domain/audit/audit.js';
import type { ApiCaller } from '../../../application/api-keys/api-caller.js';
import type { AuditLogQuery } from '../../../application/tokens/audit-log.query.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { unwrap } from './api-errors.js';
import { decodeCursor, encodeCursor, handle, ID_RE, itemQuery, pageQuery, parse } from './api-request.js';

const auditQuery = pageQuery.extend({ item: z.string().max(100).optional(), tokenId: z.string().regex(ID_RE, 'must be a token id').optional() });

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

/** The audit log (`GET /audit`): token events with who, when and through which API key, newest first. */
@injectable()
export class AuditResource implements RouteContribution {
  readonly route = 'api';

  constructor(@inject(TYPES.AuditLogQuery) private readonly auditLog: AuditLogQuery) {}

  contribute(router: Router): void {
    router.get('/audit', handle((req, res, c) => this.list(req, res, c)));
  }

  private async list(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const q = parse(auditQuery, req.query, 'query');
    const item = itemQuery(q.item);
    const beforeId = decodeCursor(q.cursor);
    const page = unwrap(
      await this.auditLog.execute(c.user, {
        ...(q.limit !== undefined && { limit: q.limit }),
        ...(item && { item }),
        ...(q.tokenId && { tokenId: q.tokenId }),
        ...(beforeId && { beforeId }),
      }),
    );
    res.json({ data: page.entries.map(auditJson), nextCursor: encodeCursor(page.nextBeforeId) });
  }
}
