import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort } from '../../../contract/index.js';
import { isKnowledgeType } from '../../../domain/shared/knowledge.js';
import { IMPORT_MAX_BYTES, type PlannedRow } from '../../../domain/tokens/token-import.js';
import { TOKEN_STATUSES, type TokenStatus } from '../../../domain/tokens/token.js';
import type { PortalFacts } from '../../../domain/ports/portal-facts.port.js';
import type { DryRunTokenImportUseCase } from '../../../application/token-imports/dry-run-token-import.use-case.js';
import type { ApplyTokenImportUseCase } from '../../../application/token-imports/apply-token-import.use-case.js';
import type { TokenImportResultsQuery } from '../../../application/token-imports/token-import-results.query.js';
import type { ExportTokensQuery } from '../../../application/tokens/export-tokens.query.js';
import type { Routes } from '../../../manifest/routes.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import { csvUpload } from '../../shared/csv/csv-upload.js';
import { TYPES } from '../../../types.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { resultCsvLines, sendCsv, TEMPLATE_CSV, tokenCsvLines } from '../shared/bulk-csv.js';
import { errorMessage, messages } from '../shared/messages.js';
import { importProblem, tokenImport } from '../shared/messages/token-import.js';
import { withFlash } from '../shared/post-redirect-get.js';
import { parseItemParam } from '../shared/item-param.js';
import { AdminPages } from './admin-pages.js';
import { AdminPaths } from './admin-paths.js';
import { bodyOf, ID_RE, userOf } from './admin-request.js';
import { formatDateTime } from './portal-time-format.js';

/** Rows the dry-run page lists; the results file has them all. */
const PAGE_ROWS = 200;

const isStatus = (v: unknown): v is TokenStatus => typeof v === 'string' && (TOKEN_STATUSES as readonly string[]).includes(v);

/**
 * The Tokens page's bulk side: the CSV template and export (with the page's filters), the upload
 * that runs a dry run (the page's script sends the file as text/csv), the dry run's page with its
 * counts, rows and results file, and the form that applies it.
 */
@injectable()
export class TokenImportsController implements RouteContribution {
  readonly route = 'admin';

  constructor(
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(TYPES.PortalFacts) private readonly portal: PortalFacts,
    @inject(TYPES.Routes) private readonly routes: Routes,
    @inject(TYPES.DryRunTokenImportUseCase) private readonly dryRun: DryRunTokenImportUseCase,
    @inject(TYPES.ApplyTokenImportUseCase) private readonly applyImport: ApplyTokenImportUseCase,
    @inject(TYPES.TokenImportResultsQuery) private readonly results: TokenImportResultsQuery,
    @inject(TYPES.ExportTokensQuery) private readonly exportTokens: ExportTokensQuery,
    @inject(AdminPages) private readonly pages: AdminPages,
    @inject(AdminPaths) private readonly paths: AdminPaths,
  ) {}

  contribute(router: Router): void {
    router.get(this.paths.patternOf('importTemplate'), (_req, res) => void res.type('text/csv; charset=utf-8').attachment('tokens-template.csv').send(TEMPLATE_CSV));
    router.get(this.paths.patternOf('tokensExport'), (req, res) => this.export(req, res));
    router.post(this.paths.patternOf('tokenImports'), (req, res) => this.upload(req, res));
    router.get(this.paths.patternOf('tokenImport'), (req, res) => this.show(req, res));
    router.get(this.paths.patternOf('tokenImport', '/results.csv'), (req, res) => this.resultsFile(req, res));
    router.post(this.paths.patternOf('tokenImport', '/apply'), (req, res) => this.apply(req, res));
  }

  private async export(req: Request, res: Response): Promise<void> {
    const query = req.query as Record<string, unknown>;
    const q = typeof query.q === 'string' ? query.q.trim().slice(0, 100) : '';
    const item = parseItemParam(query.item);
    const pages = this.exportTokens.execute(userOf(res), {
      ...(q && { q }), ...(isStatus(query.status) && { status: query.status }), ...(isKnowledgeType(query.type) && { itemType: query.type }), ...(item && { item }),
    });
    if (!pages.ok) return this.pages.message(res, 403, messages.tokenAdmin.deniedTitle, messages.tokenAdmin.denied);
    const { publicBaseUrl, timeZone } = await this.portal.info();
    await sendCsv(res, 'tokens.csv', tokenCsvLines(pages.value(), this.routes, publicBaseUrl, timeZone));
  }

  /** The script's upload: answers where to go next, or the problem with the file (its line named). */
  private async upload(req: Request, res: Response): Promise<void> {
    if (!req.is('text/csv')) return void res.status(415).json({ error: tokenImport.needsScript });
    const raw = req.get('x-file-name');
    let fileName = 'upload.csv';
    try {
      fileName = raw ? decodeURIComponent(raw).replace(/[\u0000-\u001f]/g, '').slice(0, 200) || fileName : fileName;
    } catch {
      // a malformed name: keep the default
    }
    const planned = await this.dryRun.execute(userOf(res), csvUpload(req, fileName, IMPORT_MAX_BYTES));
    if (!planned.ok) {
      req.resume();
      return void res.status(422).json({ error: planned.error.code.startsWith('IMPORT.') ? importProblem(planned.error.code, planned.error.data) : errorMessage(planned.error.code) });
    }
    res.status(201).json({ location: this.paths.tokenImport(planned.value.id) });
  }

  private async show(req: Request, res: Response): Promise<void> {
    const id = String(req.params.id);
    const found = ID_RE.test(id) ? await this.results.execute(userOf(res), id) : null;
    if (!found?.ok) return this.pages.message(res, 404, messages.tokenAdmin.notFoundTitle, errorMessage('IMPORT.NOT_FOUND'));
    const { summary } = found.value;
    const rows: PlannedRow[] = [];
    for await (const chunk of found.value.chunks()) {
      rows.push(...chunk.slice(0, PAGE_ROWS - rows.length));
      if (rows.length >= PAGE_ROWS) break;
    }
    const { timeZone } = await this.portal.info();
    const query = req.query as Record<string, unknown>;
    const applied = summary.state === 'applied';
    const changes = summary.counts.create + summary.counts.update;
    await this.pages.page(res, 200, 'admin/token-import', applied ? tokenImport.appliedTitle : tokenImport.title, {
      ti: tokenImport,
      summary,
      applied,
      appliedLine: applied && summary.appliedAt ? tokenImport.appliedSummary(summary.fileName, formatDateTime(summary.appliedAt, timeZone), summary.appliedByName) : null,
      expires: tokenImport.expires(formatDateTime(summary.expiresAt, timeZone)),
      rows: rows.map((r) => ({
        line: r.line,
        action: r.action,
        label: tokenImport.action[r.action],
        error: r.error ? importProblem(r.error.code, r.error.data, 'row') : null,
        changes: (r.changes ?? []).map((c) => `${c.field}: ${c.before ?? '—'} → ${c.after ?? '—'}`),
        cells: r.cells.join(', ').slice(0, 160),
      })),
      shown: summary.rowCount > rows.length ? tokenImport.shown(rows.length, summary.rowCount) : null,
      canApply: !applied && summary.counts.error === 0 && changes > 0,
      changes,
      applyAction: `${this.paths.tokenImport(summary.id)}/apply`,
      resultsUrl: `${this.paths.tokenImport(summary.id)}/results.csv`,
      csrf: this.csrf.issue(this.access.sessionKey(req)),
      flashOk: query.selfreg === 'imported' ? tokenImport.applied : null,
      flashError: typeof query.selfreg_error === 'string' && query.selfreg_error.startsWith('IMPORT.') ? errorMessage(query.selfreg_error) : null,
    });
  }

  private async resultsFile(req: Request, res: Response): Promise<void> {
    const id = String(req.params.id);
    const found = ID_RE.test(id) ? await this.results.execute(userOf(res), id) : null;
    if (!found?.ok) return this.pages.message(res, 404, messages.tokenAdmin.notFoundTitle, errorMessage('IMPORT.NOT_FOUND'));
    const { summary } = found.value;
    const base = summary.fileName.replace(/\.csv$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60) || 'import';
    await sendCsv(res, `${base}-results.csv`, resultCsvLines(summary.columns, found.value.chunks(), summary.state === 'applied'));
  }

  private async apply(req: Request, res: Response): Promise<void> {
    const id = String(req.params.id);
    const digest = typeof bodyOf(req).digest === 'string' ? (bodyOf(req).digest as string) : '';
    const done = await this.applyImport.execute(userOf(res), id, digest);
    res.redirect(303, withFlash(this.paths.tokenImport(ID_RE.test(id) ? id : '0'), done.ok ? { selfreg: 'imported' } : { selfreg_error: done.error.code }));
  }
}
