import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import { knowledgeTypeLabel } from '../../../domain/shared/knowledge.js';
import { USER_TYPES } from '../../../domain/shared/user.js';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import { campaignLabel } from '../../../domain/reports/attribution.js';
import { REPORT_STATUSES, statusOf, type CheckedFilter, type RegistrationReportRow } from '../../../domain/reports/registration-report.js';
import type { RegistrationsReportQuery } from '../../../application/reports/registrations-report.query.js';
import type { ExportRegistrationsQuery } from '../../../application/reports/export-registrations.query.js';
import type { GetTokenQuery } from '../../../application/tokens/get-token.query.js';
import type { ItemTitlesQuery } from '../../../application/tokens/item-titles.query.js';
import type { Refusal } from '../../../domain/shared/errors.js';
import { TYPES } from '../../../types.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { messages } from '../shared/messages.js';
import { itemParam } from '../shared/item-param.js';
import { personName } from '../shared/report-columns.js';
import { dialectOf, rawFilter, ReportExports } from '../shared/report-export.js';
import { AdminPages } from './admin-pages.js';
import { AdminPaths } from './admin-paths.js';
import { ID_RE, userOf } from './admin-request.js';
import { formatDateTime } from './portal-time-format.js';
import { isMixedScript } from '../../../domain/shared/email-address.js';

const PER_PAGE = 50;
const r = messages.reports;

/**
 * The registrations report (`GET /reports/registrations`): a token's (`?token=`), an item's
 * (`?item=`) or the portal's registrations with the person, the steps they reached and the campaign;
 * filtered by user type, status and dates; 50 to a page. `?format=csv` exports exactly what the
 * filters keep, every page of it, streamed.
 */
@injectable()
export class RegistrationsReportController implements RouteContribution {
  readonly route = 'admin';

  constructor(
    @inject(TYPES.RegistrationsReportQuery) private readonly report: RegistrationsReportQuery,
    @inject(TYPES.ExportRegistrationsQuery) private readonly exportQuery: ExportRegistrationsQuery,
    @inject(TYPES.GetTokenQuery) private readonly getToken: GetTokenQuery,
    @inject(TYPES.ItemTitlesQuery) private readonly itemTitles: ItemTitlesQuery,
    @inject(ReportExports) private readonly exports: ReportExports,
    @inject(AdminPages) private readonly pages: AdminPages,
    @inject(AdminPaths) private readonly paths: AdminPaths,
  ) {}

  contribute(router: Router): void {
    router.get(this.paths.registrationsReportPattern, (req, res) => (req.query.format === 'csv' ? this.csv(req, res) : this.show(req, res)));
  }

  private async csv(req: Request, res: Response): Promise<void> {
    const result = await this.exportQuery.execute(userOf(res), rawFilter(req));
    if (!result.ok) return this.refused(res, result.error);
    await this.exports.registrations(res, result.value, dialectOf(req));
  }

  private refused(res: Response, e: Refusal): Promise<void> {
    if (e.code === ErrorCodes.PERMISSION_DENIED) return this.pages.message(res, 403, messages.tokenAdmin.deniedTitle, messages.tokenAdmin.denied);
    const field = String(e.data?.field ?? '');
    return this.pages.message(res, 400, r.registrationsTitle, r.invalidFilter((r.field as Record<string, string>)[field] ?? field));
  }

  private async show(req: Request, res: Response): Promise<void> {
    const user = userOf(res);
    const before = typeof req.query.before === 'string' && ID_RE.test(req.query.before) ? req.query.before : undefined;
    const result = await this.report.execute(user, rawFilter(req), { limit: PER_PAGE, ...(before && { beforeId: before }) });
    if (!result.ok) return this.refused(res, result.error);
    const page = result.value;
    const { timeZone, checked, learningAvailable } = page;
    const titleOf = await this.itemTitles.execute(page.rows.map((x) => x.item));
    const query = queryOf(checked);
    const url = (params: Record<string, string>) => {
      const q = new URLSearchParams(params).toString();
      return `${this.paths.registrationsReport}${q ? `?${q}` : ''}`;
    };
    const here = (extra: Record<string, string> = {}) => url({ ...query, ...extra });
    const scope = { ...(query.item && { item: query.item }), ...(query.token && { token: query.token }) };
    await this.pages.page(res, 200, 'admin/report-registrations', r.registrationsTitle, {
      r,
      reportPage: true,
      heading: await this.heading(user, checked),
      filters: { userType: checked.userType ?? '', status: checked.status ?? '', from: checked.fromDay ?? '', to: checked.toDay ?? '', item: query.item ?? '', token: query.token ?? '' },
      userTypes: USER_TYPES.map((v) => ({ value: v, label: r.userType[v] ?? v })),
      statuses: REPORT_STATUSES.filter((s) => learningAvailable || (s !== 'started' && s !== 'completed')).map((v) => ({ value: v, label: r.statusLabel[v] ?? v })),
      learningAvailable,
      timeZone,
      total: r.total(page.total),
      rows: page.rows.map((x) => this.rowView(x, titleOf(x.item), timeZone, learningAvailable)),
      action: this.paths.registrationsReport,
      csvUrl: here({ format: 'csv' }),
      excelUrl: here({ format: 'csv', dialect: 'excel' }),
      usageUrl: this.paths.usageReport,
      clearUrl: url(scope),
      nextUrl: page.nextBeforeId ? here({ before: page.nextBeforeId }) : null,
      firstUrl: before ? here() : null,
    });
  }

  private async heading(user: ReturnType<typeof userOf>, f: CheckedFilter): Promise<string> {
    if (f.tokenId) {
      const token = await this.getToken.execute(user, f.tokenId);
      return r.forToken(token.ok ? (token.value.nickname ?? token.value.code ?? f.tokenId) : r.deletedToken);
    }
    if (f.item) return r.forItem(knowledgeTypeLabel(f.item.type), (await this.itemTitles.execute([f.item]))(f.item) ?? messages.tokenAdmin.page.itemGone);
    return r.portalWide;
  }

  private rowView(x: RegistrationReportRow, itemTitle: string | null, timeZone: string, learning: boolean) {
    const when = (d: Date | null) => (d ? { text: formatDateTime(d, timeZone), iso: d.toISOString() } : null);
    return {
      name: personName(x) ?? r.deletedUser,
      email: x.email ?? '',
      mixedScript: x.email ? isMixedScript(x.email) : false,
      userType: x.userType ? (r.userType[x.userType] ?? x.userType) : '',
      account: x.newUser ? r.account.new : r.account.existing,
      token: x.tokenNickname ?? (x.tokenId ? `#${x.tokenId}` : r.deletedToken),
      tokenUrl: x.tokenId ? this.paths.registrationsOfToken(x.tokenId) : null,
      item: `${knowledgeTypeLabel(x.item.type)}: ${itemTitle ?? messages.tokenAdmin.page.itemGone}`,
      itemUrl: this.paths.registrationsOfItem(x.item),
      registeredAt: when(x.registeredAt),
      activatedAt: when(x.activatedAt),
      startedAt: learning ? when(x.startedAt) : null,
      completedAt: learning ? when(x.completedAt) : null,
      outcome: learning && x.outcome ? (r.outcomeLabel[x.outcome] ?? x.outcome) : '',
      status: r.statusLabel[statusOf(learning ? x : { ...x, startedAt: null, completedAt: null })],
      campaign: campaignLabel(x.attribution) ?? '',
    };
  }
}

/** The filter as query parameters, to build this page's links (pages, exports) with the same filter. */
function queryOf(f: CheckedFilter): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.item) q.item = itemParam(f.item);
  if (f.tokenId) q.token = f.tokenId;
  if (f.userType) q.userType = f.userType;
  if (f.status) q.status = f.status;
  if (f.fromDay) q.from = f.fromDay;
  if (f.toDay) q.to = f.toDay;
  return q;
}
