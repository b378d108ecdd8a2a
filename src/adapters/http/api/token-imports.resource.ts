import { createHash } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import { IMPORT_MAX_BYTES, type PlannedRow } from '../../../domain/tokens/token-import.js';
import type { ImportSummary } from '../../../domain/ports/token-import-store.port.js';
import type { ApiCaller } from '../../../application/api-keys/api-caller.js';
import type { DryRunTokenImportUseCase, ImportReport } from '../../../application/token-imports/dry-run-token-import.use-case.js';
import type { ApplyTokenImportUseCase } from '../../../application/token-imports/apply-token-import.use-case.js';
import type { TokenImportResultsQuery } from '../../../application/token-imports/token-import-results.query.js';
import type { Routes } from '../../../manifest/routes.js';
import { TYPES } from '../../../types.js';
import { csvUpload } from '../../shared/csv/csv-upload.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { resultCsvLines, sendCsv } from '../shared/bulk-csv.js';
import { importProblem } from '../shared/messages/token-import.js';
import { ApiError, unwrap, validation } from './api-errors.js';
import { handle, ID_RE, parse } from './api-request.js';

const applyBody = z.strictObject({ digest: z.string().regex(/^[0-9a-f]{64}$/, 'must be the digest the dry run answered').optional() });

const importId = (req: Request): string => {
  const id = String(req.params.id);
  if (!ID_RE.test(id)) throw new ApiError(ErrorCodes.IMPORT_NOT_FOUND);
  return id;
};

export function rowJson(r: PlannedRow): Record<string, unknown> {
  return {
    line: r.line,
    action: r.action,
    tokenId: r.tokenId ?? null,
    ...(r.error && { error: { code: r.error.code, message: importProblem(r.error.code, r.error.data, 'row') } }),
    ...(r.changes && { changes: r.changes }),
  };
}

/**
 * CSV imports (`/token-imports`): POST a text/csv body for the dry run (writes no token, answers the
 * plan), POST `/token-imports/:id/apply` to apply it, GET it again or its results file.
 */
@injectable()
export class TokenImportsResource implements RouteContribution {
  readonly route = 'api';

  constructor(
    @inject(TYPES.Routes) private readonly routes: Routes,
    @inject(TYPES.DryRunTokenImportUseCase) private readonly dryRun: DryRunTokenImportUseCase,
    @inject(TYPES.ApplyTokenImportUseCase) private readonly applyImport: ApplyTokenImportUseCase,
    @inject(TYPES.TokenImportResultsQuery) private readonly results: TokenImportResultsQuery,
  ) {}

  contribute(router: Router): void {
    router.post('/token-imports', handle((req, res, c) => this.check(req, res, c)));
    router.get('/token-imports/:id', handle((req, res, c) => this.show(req, res, c)));
    router.get('/token-imports/:id/results.csv', handle((req, res, c) => this.resultsFile(req, res, c)));
    router.post('/token-imports/:id/apply', handle((req, res, c) => this.apply(req, res, c)));
  }

  private url(id: string): string {
    return `${this.routes.mount('api')}/token-imports/${id}`;
  }

  private async check(req: Request, res: Response, c: ApiCaller): Promise<void> {
    if (!req.is('text/csv')) throw validation('body', 'Send the CSV file as the body, with Content-Type: text/csv (UTF-8).');
    const fileName = typeof req.query.fileName === 'string' && req.query.fileName.trim() ? req.query.fileName.trim().slice(0, 200) : 'upload.csv';
    const planned = await this.dryRun.execute(c.user, csvUpload(req, fileName, IMPORT_MAX_BYTES));
    if (!planned.ok && planned.error.code.startsWith('IMPORT.')) {
      req.resume();
      throw new ApiError(planned.error.code, 'body', importProblem(planned.error.code, planned.error.data));
    }
    const report = unwrap(planned);
    res.status(201).location(this.url(report.id)).json(this.reportJson(report));
  }

  private reportJson(r: ImportReport): Record<string, unknown> {
    return {
      id: r.id, state: 'planned', fileName: r.fileName, digest: r.digest, counts: r.counts, rowCount: r.rowCount, expiresAt: r.expiresAt.toISOString(),
      rows: r.rows.map(rowJson), rowsTruncated: r.rowCount > r.rows.length, resultsUrl: `${this.url(r.id)}/results.csv`, applyUrl: `${this.url(r.id)}/apply`,
    };
  }

  private summaryJson(s: ImportSummary): Record<string, unknown> {
    return {
      id: s.id, state: s.state, fileName: s.fileName, digest: s.digest, counts: s.counts, rowCount: s.rowCount, expiresAt: s.expiresAt.toISOString(),
      appliedAt: s.appliedAt?.toISOString() ?? null, resultsUrl: `${this.url(s.id)}/results.csv`,
    };
  }

  private async show(req: Request, res: Response, c: ApiCaller): Promise<void> {
    res.json(this.summaryJson(unwrap(await this.results.execute(c.user, importId(req))).summary));
  }

  private async resultsFile(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const found = unwrap(await this.results.execute(c.user, importId(req)));
    await sendCsv(res, `results-${found.summary.id}.csv`, resultCsvLines(found.summary.columns, found.chunks(), found.summary.state === 'applied'));
  }

  /** The body may carry the file again (text/csv) or `{ digest }`: either must match the dry run's file. */
  private async apply(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const id = importId(req);
    let digest: string | null = null;
    if (req.is('text/csv')) {
      const hash = createHash('sha256');
      let bytes = 0;
      for await (const chunk of req as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > IMPORT_MAX_BYTES) throw new ApiError(ErrorCodes.IMPORT_FILE_CHANGED);
        hash.update(chunk);
      }
      digest = hash.digest('hex');
    } else if (req.body && typeof req.body === 'object' && Object.keys(req.body as object).length > 0) {
      digest = parse(applyBody, req.body, 'body').digest ?? null;
    }
    const applied = unwrap(await this.applyImport.execute(c.user, id, digest, c.channel));
    res.json(this.summaryJson(applied));
  }
}
