import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import QRCode from 'qrcode';
import { z } from 'zod';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import { isKnowledgeType } from '../../../domain/shared/knowledge.js';
import type { Token } from '../../../domain/tokens/token.js';
import type { PortalFacts } from '../../../domain/ports/portal-facts.port.js';
import type { CreateTokenBatchUseCase } from '../../../application/token-batches/create-token-batch.use-case.js';
import type { ChangeTokenBatchUseCase } from '../../../application/token-batches/change-token-batch.use-case.js';
import type { TokenBatchCodesQuery } from '../../../application/token-batches/token-batch-codes.query.js';
import type { Routes } from '../../../manifest/routes.js';
import { TYPES } from '../../../types.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { batchCsvLines, sendCsv } from '../shared/bulk-csv.js';
import { deepLink } from '../shared/deep-link.js';
import { errorMessage, messages } from '../shared/messages.js';
import { withFlash } from '../shared/post-redirect-get.js';
import { AdminPages } from './admin-pages.js';
import { AdminPaths } from './admin-paths.js';
import { backOf, bodyOf, ID_RE, userOf } from './admin-request.js';
import { TokenFormFlash } from './token-form-flash.js';
import { parseMaxUses } from './token-forms.js';

const batchForm = z.object({ count: z.string().max(20).optional(), nickname: z.string().max(2000).optional(), expiresOn: z.string().max(200).optional(), maxUses: z.string().max(200).optional() });
/** QR codes on one printed sheet (page): 4 across, 6 down on A4, a few sheets per page. */
const SHEET_CODES = 96;
const ANCHOR = 'selfreg-tokens';

/**
 * Batches of codes on the admin side: the Enrolment panel's form that creates one, its codes as CSV,
 * its printable sheets of QR codes, and switching or deleting it whole.
 */
@injectable()
export class TokenBatchesController implements RouteContribution {
  readonly route = 'admin';

  constructor(
    @inject(TYPES.PortalFacts) private readonly portal: PortalFacts,
    @inject(TYPES.Routes) private readonly routes: Routes,
    @inject(TYPES.CreateTokenBatchUseCase) private readonly createBatch: CreateTokenBatchUseCase,
    @inject(TYPES.ChangeTokenBatchUseCase) private readonly changeBatch: ChangeTokenBatchUseCase,
    @inject(TYPES.TokenBatchCodesQuery) private readonly codes: TokenBatchCodesQuery,
    @inject(AdminPages) private readonly pages: AdminPages,
    @inject(AdminPaths) private readonly paths: AdminPaths,
    @inject(TokenFormFlash) private readonly flash: TokenFormFlash,
  ) {}

  contribute(router: Router): void {
    router.post('/items/:type/:id/tokens/batches', (req, res) => this.create(req, res));
    router.get(this.paths.patternOf('tokenBatch', '/codes.csv'), (req, res) => this.csv(req, res));
    router.get(this.paths.patternOf('tokenBatch', '/sheet'), (req, res) => this.sheet(req, res));
    for (const change of ['disable', 'enable', 'delete'] as const) router.post(this.paths.patternOf('tokenBatch', `/${change}`), (req, res) => this.change(req, res, change));
  }

  private async create(req: Request, res: Response): Promise<void> {
    const type = String(req.params.type);
    if (!isKnowledgeType(type)) return this.pages.message(res, 404, messages.tokenAdmin.notFoundTitle, messages.errors[ErrorCodes.KNOWLEDGE_NOT_FOUND]);
    const back = backOf(req, this.paths.tokens);
    const form = batchForm.safeParse(bodyOf(req));
    if (!form.success) return void res.redirect(303, withFlash(back, await this.flash.refused(req, ErrorCodes.VALIDATION_FAILED, 'batch', {}), 'selfreg-batch'));
    const v = form.data;
    const count = /^\s*\d{1,6}\s*$/.test(v.count ?? '') ? Number(v.count) : Number.NaN;
    const maxUses = parseMaxUses(v.maxUses);
    const made = await this.createBatch.execute(userOf(res), { type, id: String(req.params.id) }, {
      count, nickname: v.nickname ?? null, expiresOn: v.expiresOn ?? null, ...(maxUses !== undefined && { maxUses }),
    });
    res.redirect(303, made.ok ? withFlash(back, { selfreg: 'batchCreated' }, ANCHOR) : withFlash(back, await this.flash.refused(req, made.error.code, 'batch', v), 'selfreg-batch'));
  }

  private async found(req: Request, res: Response) {
    const id = String(req.params.id);
    const found = ID_RE.test(id) ? await this.codes.execute(userOf(res), id) : null;
    if (!found?.ok) {
      await this.pages.message(res, 404, messages.tokenAdmin.notFoundTitle, errorMessage(ErrorCodes.BATCH_NOT_FOUND));
      return null;
    }
    return found.value;
  }

  private async csv(req: Request, res: Response): Promise<void> {
    const found = await this.found(req, res);
    if (!found) return;
    await sendCsv(res, `batch-${found.batch.id}-codes.csv`, batchCsvLines(found.tokens(), this.routes, (await this.portal.info()).publicBaseUrl));
  }

  /** A printable page of QR codes (SHEET_CODES a page, `?page=` for the next). */
  private async sheet(req: Request, res: Response): Promise<void> {
    const found = await this.found(req, res);
    if (!found) return;
    const pages = Math.max(1, Math.ceil(found.batch.size / SHEET_CODES));
    const page = Math.min(pages, Math.max(1, Number.parseInt(String(req.query.page ?? '1'), 10) || 1));
    const wanted: Token[] = [];
    let skip = (page - 1) * SHEET_CODES;
    for await (const chunk of found.tokens()) {
      const usable = chunk.slice(Math.min(skip, chunk.length));
      skip = Math.max(0, skip - chunk.length);
      wanted.push(...usable.slice(0, SHEET_CODES - wanted.length));
      if (wanted.length >= SHEET_CODES) break;
    }
    const { publicBaseUrl } = await this.portal.info();
    const cards = await Promise.all(wanted.map(async (t) => {
      const link = deepLink(this.routes, publicBaseUrl, t.code);
      return { code: t.code ?? '', link, svg: await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }) };
    }));
    const b = messages.tokenAdmin.batch;
    const name = found.batch.nickname ?? b.unnamed;
    const url = (p: number) => `${this.paths.tokenBatch(found.batch.id)}/sheet?page=${p}`;
    await this.pages.page(res, 200, 'admin/batch-sheet', b.sheetTitle(name), {
      b, name, cards, sheet: b.sheetPage(page, pages),
      prev: page > 1 ? url(page - 1) : null, next: page < pages ? url(page + 1) : null,
    });
  }

  private async change(req: Request, res: Response, change: 'disable' | 'enable' | 'delete'): Promise<void> {
    const back = backOf(req, this.paths.tokens);
    const done = await this.changeBatch.execute(userOf(res), String(req.params.id), change);
    const flash = { disable: 'batchDisabled', enable: 'batchEnabled', delete: 'batchDeleted' }[change];
    res.redirect(303, withFlash(back, done.ok ? { selfreg: flash } : { selfreg_error: done.error.code }, ANCHOR));
  }
}
