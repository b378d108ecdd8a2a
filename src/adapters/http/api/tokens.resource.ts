import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { KNOWLEDGE_TYPES, type KnowledgeRef } from '../../../domain/shared/knowledge.js';
import { TOKEN_STATUSES } from '../../../domain/tokens/token.js';
import type { ApiCaller } from '../../../application/api-keys/api-caller.js';
import type { ListTokensQuery } from '../../../application/tokens/list-tokens.query.js';
import type { GetTokenQuery } from '../../../application/tokens/get-token.query.js';
import type { CreateTokenUseCase } from '../../../application/tokens/create-token.use-case.js';
import type { UpdateTokenUseCase } from '../../../application/tokens/update-token.use-case.js';
import type { SetTokenEnabledUseCase } from '../../../application/tokens/set-token-enabled.use-case.js';
import type { DeleteTokenUseCase } from '../../../application/tokens/delete-token.use-case.js';
import type { Routes } from '../../../manifest/routes.js';
import { TYPES } from '../../../types.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { parseItemParam } from '../shared/item-param.js';
import { unwrap, validation } from './api-errors.js';
import { decodeCursor, encodeCursor, handle, itemQuery, pageQuery, parse, tokenId } from './api-request.js';
import { TokenJson } from './token-json.js';
import type { ExportTokensQuery } from '../../../application/tokens/export-tokens.query.js';
import type { PortalFacts } from '../../../domain/ports/portal-facts.port.js';
import { sendCsv, tokenCsvLines } from '../shared/bulk-csv.js';

const listQuery = pageQuery.extend({
  item: z.string().max(100).optional(),
  itemType: z.enum(KNOWLEDGE_TYPES).optional(),
  status: z.enum(TOKEN_STATUSES).optional(),
  q: z.string().max(100).optional(),
});

const itemRef = z.union(
  [z.strictObject({ type: z.enum(KNOWLEDGE_TYPES), id: z.string().min(1).max(64) }), z.string().max(100)],
  { error: 'must be { "type": "topic" | "article" | "pathway", "id": "…" } or "type:id"' },
);
const nullableText = (max: number) => z.string().max(max, `must be at most ${max} characters`).nullable().optional();
const date = z.string().max(20).nullable().optional();
const maxUses = z.number({ error: 'must be a whole number or null' }).int('must be a whole number').nullable().optional();

const createBody = z.strictObject({ item: itemRef, nickname: nullableText(200), customCode: nullableText(128), expiresOn: date, maxUses });
const updateBody = z.strictObject({ nickname: nullableText(200), expiresOn: date, maxUses, enabled: z.boolean({ error: 'must be true or false' }).optional() });

function itemOf(value: z.infer<typeof itemRef>): KnowledgeRef {
  if (typeof value !== 'string') return value;
  const ref = parseItemParam(value);
  if (!ref) throw validation('item', 'item must be { "type": "topic" | "article" | "pathway", "id": "…" } or "type:id".');
  return ref;
}

/** The API's tokens (`/tokens`, `/tokens/:id`, `/tokens/:id/enable|disable`): list, create, read, edit, switch, delete. */
@injectable()
export class TokensResource implements RouteContribution {
  readonly route = 'api';

  constructor(
    @inject(TYPES.Routes) private readonly routes: Routes,
    @inject(TYPES.ListTokensQuery) private readonly listTokens: ListTokensQuery,
    @inject(TYPES.GetTokenQuery) private readonly getToken: GetTokenQuery,
    @inject(TYPES.CreateTokenUseCase) private readonly createToken: CreateTokenUseCase,
    @inject(TYPES.UpdateTokenUseCase) private readonly updateToken: UpdateTokenUseCase,
    @inject(TYPES.SetTokenEnabledUseCase) private readonly setEnabled: SetTokenEnabledUseCase,
    @inject(TYPES.DeleteTokenUseCase) private readonly deleteToken: DeleteTokenUseCase,
    @inject(TokenJson) private readonly json: TokenJson,
    @inject(TYPES.ExportTokensQuery) private readonly exportTokens: ExportTokensQuery,
    @inject(TYPES.PortalFacts) private readonly portal: PortalFacts,
  ) {}

  contribute(router: Router): void {
    router.get('/tokens', handle((req, res, c) => this.list(req, res, c)));
    router.post('/tokens', handle((req, res, c) => this.create(req, res, c)));
    router.get('/tokens/:id', handle((req, res, c) => this.get(req, res, c)));
    router.patch('/tokens/:id', handle((req, res, c) => this.update(req, res, c)));
    router.post('/tokens/:id/disable', handle((req, res, c) => this.toggle(req, res, c, false)));
    router.post('/tokens/:id/enable', handle((req, res, c) => this.toggle(req, res, c, true)));
    router.delete('/tokens/:id', handle((req, res, c) => this.remove(req, res, c)));
  }

  private async list(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const q = parse(listQuery, req.query, 'query');
    const item = itemQuery(q.item);
    if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
      // Every token the filters match, streamed (cursor and limit are for pages of JSON).
      const pages = unwrap(this.exportTokens.execute(c.user, { ...(q.q !== undefined && { q: q.q }), ...(q.status && { status: q.status }), ...(q.itemType && { itemType: q.itemType }), ...(item && { item }) }));
      const { publicBaseUrl, timeZone } = await this.portal.info();
      return sendCsv(res, 'tokens.csv', tokenCsvLines(pages(), this.routes, publicBaseUrl, timeZone));
    }
    const beforeId = decodeCursor(q.cursor);
    const found = unwrap(
      await this.listTokens.execute(c.user, {
        ...(q.limit !== undefined && { limit: q.limit }),
        ...(q.q !== undefined && { q: q.q }),
        ...(q.status && { status: q.status }),
        ...(q.itemType && { itemType: q.itemType }),
        ...(item && { item }),
        ...(beforeId && { beforeId }),
      }),
    );
    const fmt = await this.json.formatter();
    res.json({ data: found.tokens.map(fmt), total: found.total, nextCursor: encodeCursor(found.nextBeforeId) });
  }

  private async get(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const token = unwrap(await this.getToken.execute(c.user, tokenId(req)));
    res.json((await this.json.formatter())(token));
  }

  private async create(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const body = parse(createBody, req.body, 'body');
    const created = unwrap(
      await this.createToken.execute(c.user, itemOf(body.item), {
        nickname: body.nickname ?? null,
        customCode: body.customCode ?? null,
        expiresOn: body.expiresOn ?? null,
        maxUses: body.maxUses ?? null,
      }, c.channel),
    );
    const token = unwrap(await this.getToken.execute(c.user, created.id));
    res.status(201).location(`${this.routes.mount('api')}/tokens/${token.id}`).json((await this.json.formatter())(token));
  }

  private async update(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const id = tokenId(req);
    const body = parse(updateBody, req.body, 'body');
    unwrap(
      await this.updateToken.execute(c.user, id, {
        ...(body.nickname !== undefined && { nickname: body.nickname }),
        ...(body.expiresOn !== undefined && { expiresOn: body.expiresOn }),
        ...(body.maxUses !== undefined && { maxUses: body.maxUses }),
        ...(body.enabled !== undefined && { enabled: body.enabled }),
      }, c.channel),
    );
    res.json((await this.json.formatter())(unwrap(await this.getToken.execute(c.user, id))));
  }

  private async toggle(req: Request, res: Response, c: ApiCaller, enabled: boolean): Promise<void> {
    const id = tokenId(req);
    unwrap(await this.setEnabled.execute(c.user, id, enabled, c.channel));
    res.json((await this.json.formatter())(unwrap(await this.getToken.execute(c.user, id))));
  }

  private async remove(req: Request, res: Response, c: ApiCaller): Promise<void> {
    unwrap(await this.deleteToken.execute(c.user, tokenId(req), c.channel));
    res.status(204).end();
  }
}
