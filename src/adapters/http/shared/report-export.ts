/* The CSV exports of the plugin's reports, shared by the admin pages and the JSON API: the same query object, the same columns. */
import type { Request, Response } from 'express';
import { inject, injectable } from 'inversify';
import type { KnowledgeRef } from '../../../domain/shared/knowledge.js';
import type { LoggerPort } from '../../../domain/ports/logger.port.js';
import { localDay } from '../../../domain/shared/time-zone.js';
import type { RawRegistrationFilter } from '../../../domain/reports/registration-report.js';
import type { ItemTitlesQuery } from '../../../application/tokens/item-titles.query.js';
import type { RegistrationsExport } from '../../../application/reports/export-registrations.query.js';
import type { UsageExport } from '../../../application/reports/export-usage.query.js';
import { TYPES } from '../../../types.js';
import { CSV_DIALECTS, csvStream, type CsvDialect } from '../../shared/csv/csv-writer.js';
import { sendCsv } from './csv-response.js';
import { csvFileName, registrationCells, registrationsHeader, usageCells, usageHeader, withTitles } from './report-columns.js';

const FILTER_KEYS = ['item', 'token', 'userType', 'status', 'from', 'to'] as const;

/** The report filter of a request's query: strings as given (an array, i.e. a repeated parameter, is passed on to be refused). */
export function rawFilter(req: Request): RawRegistrationFilter {
  const q = req.query as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of FILTER_KEYS) if (q[k] !== undefined) out[k] = q[k];
  return out;
}

/** `?dialect=excel` asks for Excel's dialect (a byte-order mark); anything else is plain UTF-8. */
export const dialectOf = (req: Request): CsvDialect => (CSV_DIALECTS.includes(req.query.dialect as CsvDialect) ? (req.query.dialect as CsvDialect) : 'utf8');

/** What an export covers, for its file name: a token, an item, or the portal. */
function scopeOf(f: { readonly tokenId?: string; readonly item?: KnowledgeRef }): string {
  if (f.tokenId) return `token-${f.tokenId}`;
  if (f.item) return `${f.item.type}-${f.item.id}`;
  return 'portal';
}

@injectable()
export class ReportExports {
  constructor(
    @inject(TYPES.ItemTitlesQuery) private readonly itemTitles: ItemTitlesQuery,
    @inject(TYPES.Logger) private readonly logger: LoggerPort,
    @inject(TYPES.Clock) private readonly clock: { now(): Date },
  ) {}

  registrations(res: Response, x: RegistrationsExport, dialect: CsvDialect): Promise<void> {
    const { timeZone, learningAvailable } = x;
    const titled = withTitles(x.rows, (refs) => this.itemTitles.execute(refs));
    const csv = csvStream(registrationsHeader(timeZone, learningAvailable), titled, (row) => registrationCells(row, timeZone, learningAvailable), dialect);
    return sendCsv(res, csvFileName('registrations', scopeOf(x.filter), localDay(this.clock.now(), timeZone)), csv, (e) => this.failed('registrations', e));
  }

  usage(res: Response, x: UsageExport, dialect: CsvDialect): Promise<void> {
    const titled = withTitles(x.rows, (refs) => this.itemTitles.execute(refs));
    const csv = csvStream(usageHeader(), titled, usageCells, dialect);
    return sendCsv(res, csvFileName('token-usage', scopeOf(x.filter), localDay(this.clock.now(), x.timeZone)), csv, (e) => this.failed('usage', e));
  }

  private failed(report: string, e: unknown): void {
    this.logger.error(`The ${report} export failed part-way; the connection was closed`, { error: e instanceof Error ? e.message : String(e) });
  }
}
