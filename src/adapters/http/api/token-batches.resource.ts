import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import type { TokenBatch } from '../../../domain/ports/token-bulk-repository.port.js';
import type { PortalFacts } from '../../../domain/ports/portal-facts.port.js';
import type { ApiCaller } from '../../../application/api-keys/api-caller.js';
import type { CreateTokenBatchUseCase } from '../../../application/token-batches/create-token-batch.use-case.js';
import type { ChangeTokenBatchUseCase } from '../../../application/token-batches/change-token-batch.use-case.js';
import type { TokenBatchCodesQuery } from '../../../application/token-batches/token-batch-codes.query.js';
import type { Routes } from '../../../manifest/routes.js';
import { TYPES } from '../../../types.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { batchCsvLines, sendCsv } from '../shared/bulk-csv.js';
import { parseItemParam } from '../shared/item-param.js';
import { ApiError, unwrap, validation } from './api-errors.js';
import { handle, ID_RE, parse } from './api-request.js';

const createBody = z.strictObject({
  item: z.union([z.strictObject({ type: z.enum(['topic', 'article', 'pathway']), id: z.string().min(1).max(64) }), z.string().max(100)]),
  count: z.number({ error: 'must be a whole number from 1 to 10000' }).int('must be a whole number'),
  nickname: z.string().max(200).nullable().optional(),
  expiresOn: z.string().max(20).nullable().optional(),
  maxUses: z.number({ error: 'must be a whole number or null' }).int('must be a whole number').nullable().optional(),
});

const batchId = (req: Request): string => {
  const id = String(req.params.id);
  if (!ID_RE.test(id)) throw new ApiError(ErrorCodes.BATCH_NOT_FOUND);
  return id;
};

/** Batches of single-use codes (`/token-batches`): create one, download its codes, switch or delete it whole. */
@injectable()
export class TokenBatchesResource implements RouteContribution {
  readonly route = 'api';

  constructor(
    @inject(TYPES.Routes) private readonly routes: Routes,
    @inject(TYPES.PortalFacts) private readonly portal: PortalFacts,
    @inject(TYPES.CreateTokenBatchUseCase) private readonly createBatch: CreateTokenBatchUseCase,
    @inject(TYPES.ChangeTokenBatchUseCase) private readonly changeBatch: ChangeTokenBatchUseCase,
    @inject(TYPES.TokenBatchCodesQuery) private readonly codes: TokenBatchCodesQuery,
  ) {}

  contribute(router: Router): void {
    router.post('/token-batches', handle((req, res, c) => this.create(req, res, c)));
    router.get('/token-batches/:id/codes.csv', handle((req, res, c) => this.csv(req, res, c)));
    router.post('/token-batches/:id/disable', handle((req, res, c) => this.change(req, res, c, 'disable')));
    router.post('/token-batches/:id/enable', handle((req, res, c) => this.change(req, res, c, 'enable')));
    router.delete('/token-batches/:id', handle((req, res, c) => this.change(req, res, c, 'delete')));
  }

  private json(b: TokenBatch): Record<string, unknown> {
    const url = `${this.routes.mount('api')}/token-batches/${b.id}`;
    return {
      id: b.id, item: b.item, nickname: b.nickname, count: b.size, expiresAt: b.expiresAt?.toISOString() ?? null, maxUses: b.maxUses,
      createdAt: b.createdAt.toISOString(), codesUrl: `${url}/codes.csv`,
    };
  }

  private async create(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const body = parse(createBody, req.body, 'body');
    const item = typeof body.item === 'string' ? parseItemParam(body.item) : body.item;
    if (!item) throw validation('item', 'item must be { "type": "topic" | "article" | "pathway", "id": "…" } or "type:id".');
    const batch = unwrap(
      await this.createBatch.execute(c.user, item, {
        count: body.count, nickname: body.nickname ?? null, expiresOn: body.expiresOn ?? null, ...(body.maxUses !== undefined && { maxUses: body.maxUses }),
      }, c.channel),
    );
    res.status(201).location(`${this.routes.mount('api')}/token-batches/${batch.id}`).json(this.json(batch));
  }

  private async csv(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const found = unwrap(await this.codes.execute(c.user, batchId(req)));
    await sendCsv(res, `batch-${found.batch.id}-codes.csv`, batchCsvLines(found.tokens(), this.routes, (await this.portal.info()).publicBaseUrl));
  }

  private async change(req: Request, res: Response, c: ApiCaller, change: 'disable' | 'enable' | 'delete'): Promise<void> {
    const done = unwrap(await this.changeBatch.execute(c.user, batchId(req), change, c.channel));
    if (change === 'delete') return void res.status(204).end();
    res.json({ id: batchId(req), changed: done.count });
  }
}
