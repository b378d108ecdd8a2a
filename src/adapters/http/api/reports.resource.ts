import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { ErrorCodes, type Refusal } from '../../../domain/shared/errors.js';
import type { Result } from '../../../domain/shared/result.js';
import type { ApiCaller } from '../../../application/api-keys/api-caller.js';
import type { RegistrationsReportQuery } from '../../../application/reports/registrations-report.query.js';
import type { ExportRegistrationsQuery } from '../../../application/reports/export-registrations.query.js';
import type { UsageReportQuery } from '../../../application/reports/usage-report.query.js';
import type { ExportUsageQuery } from '../../../application/reports/export-usage.query.js';
import type { Routes } from '../../../manifest/routes.js';
import { TYPES } from '../../../types.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { registrationJson, usageJson } from '../shared/report-columns.js';
import { ReportExports } from '../shared/report-export.js';
import { unwrap, validation } from './api-errors.js';
import { decodeCursor, encodeCursor, handle, pageQuery, parse } from './api-request.js';

const text = z.string().max(100).optional();
const range = { item: text, from: text, to: text, dialect: z.enum(['utf8', 'excel']).optional() };
const registrationsQuery = pageQuery.extend({ ...range, token: text, userType: text, status: text });
const usageQuery = pageQuery.extend(range);

const HINT: Record<string, string> = {
  item: 'item must be "type:id", e.g. "topic:12".',
  token: 'token must be a token id.',
  userType: 'userType must be one of staff, client, prospect.',
  status: 'status must be one of invited, activated, started, completed.',
  from: 'from must be a date, YYYY-MM-DD (the portal’s time zone).',
  to: 'to must be a date, YYYY-MM-DD, not before from.',
};

/** A use case's value, or its refusal as the API error; a filter refused names its field. */
function value<T>(result: Result<T, Refusal>): T {
  if (!result.ok && result.error.code === ErrorCodes.VALIDATION_FAILED) {
    const field = String(result.error.data?.field ?? 'query');
    throw validation(field, HINT[field] ?? `${field} is not valid.`);
  }
  return unwrap(result);
}

/** CSV when the caller prefers it (`Accept: text/csv`), JSON otherwise. */
const wantsCsv = (req: Request): boolean => req.accepts(['application/json', 'text/csv']) === 'text/csv';

/**
 * The reports over the API: `GET /reports/registrations` (filtered like the admin page, cursor
 * pages) and `GET /reports/usage` (per token, cursor pages, with the totals). Both answer the whole
 * filtered report as CSV, streamed, to `Accept: text/csv` — the same query object as the JSON.
 */
@injectable()
export class ReportsResource implements RouteContribution {
  readonly route = 'api';

  constructor(
    @inject(TYPES.RegistrationsReportQuery) private readonly registrations: RegistrationsReportQuery,
    @inject(TYPES.ExportRegistrationsQuery) private readonly exportRegistrations: ExportRegistrationsQuery,
    @inject(TYPES.UsageReportQuery) private readonly usage: UsageReportQuery,
    @inject(TYPES.ExportUsageQuery) private readonly exportUsage: ExportUsageQuery,
    @inject(ReportExports) private readonly exports: ReportExports,
    @inject(TYPES.Routes) private readonly routes: Routes,
  ) {}

  contribute(router: Router): void {
    router.get(this.routes.pattern('api', 'registrationsReport'), handle((req, res, c) => this.registrationsReport(req, res, c)));
    router.get(this.routes.pattern('api', 'usageReport'), handle((req, res, c) => this.usageReport(req, res, c)));
  }

  private async registrationsReport(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const q = parse(registrationsQuery, req.query, 'query');
    const raw = { item: q.item, token: q.token, userType: q.userType, status: q.status, from: q.from, to: q.to };
    if (wantsCsv(req)) return this.exports.registrations(res, value(await this.exportRegistrations.execute(c.user, raw)), q.dialect ?? 'utf8');
    const beforeId = decodeCursor(q.cursor);
    const page = value(await this.registrations.execute(c.user, raw, { ...(q.limit !== undefined && { limit: q.limit }), ...(beforeId && { beforeId }) }));
    res.json({
      data: page.rows.map((x) => registrationJson(x, page.learningAvailable)),
      total: page.total,
      learningAvailable: page.learningAvailable,
      timeZone: page.timeZone,
      nextCursor: encodeCursor(page.nextBeforeId),
    });
  }

  private async usageReport(req: Request, res: Response, c: ApiCaller): Promise<void> {
    const q = parse(usageQuery, req.query, 'query');
    const raw = { item: q.item, from: q.from, to: q.to };
    if (wantsCsv(req)) return this.exports.usage(res, value(await this.exportUsage.execute(c.user, raw)), q.dialect ?? 'utf8');
    const beforeId = decodeCursor(q.cursor);
    const u = value(await this.usage.execute(c.user, raw, { ...(q.limit !== undefined && { limit: q.limit }), ...(beforeId && { beforeId }) }));
    const counts = (x: typeof u.totals) => ({
      views: x.views, registrations: x.registrations, newAccounts: x.newAccounts, existingAccounts: x.existingAccounts,
      activated: x.activated, started: x.started, completed: x.completed, conversion: x.conversion,
    });
    res.json({
      data: u.tokens.map(usageJson),
      totals: counts(u.totals),
      items: u.items.map((i) => ({ item: i.item, ...counts(i) })),
      campaigns: u.campaigns.map((k) => ({ source: k.source, medium: k.medium, campaign: k.campaign, ...counts(k) })),
      learningAvailable: u.learningAvailable,
      timeZone: u.timeZone,
      nextCursor: encodeCursor(u.nextBeforeId),
    });
  }
}
