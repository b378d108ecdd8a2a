import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import { TYPES } from '../../../types.js';
import type { ApiCaller } from '../../../application/api-keys/api-caller.js';
import type { ListTokenRegistrationsQuery, RegistrantView } from '../../../application/tokens/list-token-registrations.query.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { unwrap } from './api-errors.js';
import { decodeCursor, encodeCursor, handle, pageQuery, parse, tokenId } from './api-request.js';

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

/** Who registered with a token (`GET /tokens/:id/registrations`), newest first, with the total. */
@injectable()
export class TokenRegistrationsResource implements RouteContribution {
  readonly route = 'api';

  constructor(@inject(TYPES.ListTokenRegistrationsQuery) private readonly registrations: ListTokenRegistrationsQuery) {}

  contribute(router: Router): void {
    router.get('/tokens/:id/registrations', handle((req, res, c) => this.list(req, res, c)));
  }

  private async list(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const id = tokenId(req);
    const q = parse(pageQuery, req.query, 'query');
    const beforeId = decodeCursor(q.cursor);
    const page = unwrap(await this.registrations.execute(c.user, id, { ...(q.limit !== undefined && { limit: q.limit }), ...(beforeId && { beforeId }) }));
    res.json({ data: page.registrations.map(registrationJson), total: page.total, nextCursor: encodeCursor(page.nextBeforeId) });
  }
}
