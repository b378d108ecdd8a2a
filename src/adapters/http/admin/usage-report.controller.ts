import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import { knowledgeTypeLabel } from '../../../domain/shared/knowledge.js';
import { ErrorCodes, type Refusal } from '../../../domain/shared/errors.js';
import type { Conversion, UsageCounts } from '../../../domain/reports/usage.js';
import type { UsageReportQuery } from '../../../application/reports/usage-report.query.js';
import type { ExportUsageQuery } from '../../../application/reports/export-usage.query.js';
import type { ItemTitlesQuery } from '../../../application/tokens/item-titles.query.js';
import { TYPES } from '../../../types.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { messages } from '../shared/messages.js';
import { itemParam } from '../shared/item-param.js';
import { dialectOf, rawFilter, ReportExports } from '../shared/report-export.js';
import { AdminPages } from './admin-pages.js';
import { AdminPaths } from './admin-paths.js';
import { ID_RE, userOf } from './admin-request.js';

const PER_PAGE = 50;
const r = messages.reports;

const percent = (share: number | null): string => (share === null ? '—' : `${Math.round(share * 1000) / 10} %`);

/** Counts and conversions as a table row prints them. */
const funnel = (u: UsageCounts & { readonly conversion: Conversion }) => ({
  views: u.views, registrations: u.registrations, newAccounts: u.newAccounts, existingAccounts: u.existingAccounts,
  activated: u.activated, started: u.started, completed: u.completed,
  viewToRegistration: percent(u.conversion.viewToRegistration),
  registrationToActivation: percent(u.conversion.registrationToActivation),
  activationToStart: percent(u.conversion.activationToStart),
  startToCompletion: percent(u.conversion.startToCompletion),
});

/**
 * The token usage report (`GET /reports/usage`): per token (50 to a page), per item and per
 * campaign, deep-link views → registrations (new and existing accounts) → activated → started →
 * completed with the conversion between each step, and the totals, in a date range, for the portal
 * or one item. `?format=csv` exports every token's row.
 */
@injectable()
export class UsageReportController implements RouteContribution {
  readonly route = 'admin';

  constructor(
    @inject(TYPES.UsageReportQuery) private readonly report: UsageReportQuery,
    @inject(TYPES.ExportUsageQuery) private readonly exportQuery: ExportUsageQuery,
    @inject(TYPES.ItemTitlesQuery) private readonly itemTitles: ItemTitlesQuery,
    @inject(ReportExports) private readonly exports: ReportExports,
    @inject(AdminPages) private readonly pages: AdminPages,
    @inject(AdminPaths) private readonly paths: AdminPaths,
  ) {}

  contribute(router: Router): void {
    router.get(this.paths.usageReportPattern, (req, res) => (req.query.format === 'csv' ? this.csv(req, res) : this.show(req, res)));
  }

  private refused(res: Response, e: Refusal): Promise<void> {
    if (e.code === ErrorCodes.PERMISSION_DENIED) return this.pages.message(res, 403, messages.tokenAdmin.deniedTitle, messages.tokenAdmin.denied);
    const field = String(e.data?.field ?? '');
    return this.pages.message(res, 400, r.usageTitle, r.invalidFilter((r.field as Record<string, string>)[field] ?? field));
  }

  private async csv(req: Request, res: Response): Promise<void> {
    const { item, from, to } = rawFilter(req);
    const result = await this.exportQuery.execute(userOf(res), { item, from, to });
    if (!result.ok) return this.refused(res, result.error);
    await this.exports.usage(res, result.value, dialectOf(req));
  }

  private async show(req: Request, res: Response): Promise<void> {
    const { item, from, to } = rawFilter(req);
    const before = typeof req.query.before === 'string' && ID_RE.test(req.query.before) ? req.query.before : undefined;
    const result = await this.report.execute(userOf(res), { item, from, to }, { limit: PER_PAGE, ...(before && { beforeId: before }) });
    if (!result.ok) return this.refused(res, result.error);
    const u = result.value;
    const titleOf = await this.itemTitles.execute([...u.tokens.map((t) => t.item), ...u.items.map((i) => i.item)]);
    const itemText = (ref: (typeof u.items)[number]['item']) => `${knowledgeTypeLabel(ref.type)}: ${titleOf(ref) ?? messages.tokenAdmin.page.itemGone}`;
    const query: Record<string, string> = {
      ...(u.checked.item && { item: itemParam(u.checked.item) }),
      ...(u.checked.fromDay && { from: u.checked.fromDay }),
      ...(u.checked.toDay && { to: u.checked.toDay }),
    };
    const url = (params: Record<string, string>) => {
      const q = new URLSearchParams(params).toString();
      return `${this.paths.usageReport}${q ? `?${q}` : ''}`;
    };
    const range = { ...(query.from && { from: query.from }), ...(query.to && { to: query.to }) };
    const registrationsUrl = (scope: Record<string, string>) => {
      const q = new URLSearchParams({ ...scope, ...range }).toString();
      return `${this.paths.registrationsReport}?${q}`;
    };
    await this.pages.page(res, 200, 'admin/report-usage', r.usageTitle, {
      r,
      reportPage: true,
      learningAvailable: u.learningAvailable,
      timeZone: u.timeZone,
      filters: { from: query.from ?? '', to: query.to ?? '', item: query.item ?? '' },
      scopeItem: u.checked.item ? itemText(u.checked.item) : null,
      totals: funnel(u.totals),
      tokens: u.tokens.map((t) => ({
        label: t.tokenNickname ?? `#${t.tokenId}`, item: itemText(t.item), itemUrl: url({ ...query, item: itemParam(t.item) }),
        registrationsUrl: registrationsUrl({ token: t.tokenId }), ...funnel(t),
      })),
      items: u.items.map((i) => ({ label: itemText(i.item), url: url({ ...range, item: itemParam(i.item) }), registrationsUrl: registrationsUrl({ item: itemParam(i.item) }), ...funnel(i) })),
      campaigns: u.campaigns.map((c) => ({ label: [c.source, c.medium, c.campaign].filter(Boolean).join(' / ') || r.noCampaign, ...funnel(c) })),
      action: this.paths.usageReport,
      clearUrl: this.paths.usageReport,
      registrationsUrl: registrationsUrl(query.item ? { item: query.item } : {}),
      csvUrl: url({ ...query, format: 'csv' }),
      excelUrl: url({ ...query, format: 'csv', dialect: 'excel' }),
      nextUrl: u.nextBeforeId ? url({ ...query, before: u.nextBeforeId }) : null,
      firstUrl: before ? url(query) : null,
    });
  }
}
