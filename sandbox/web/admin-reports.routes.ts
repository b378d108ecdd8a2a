/*
 * An item's Reports tab (beside Content and Settings): logins, progress, outcomes and answers, each
 * filtered by user type and by the plugin's contributed filters, a page at a time on screen and whole
 * as CSV (plain UTF-8 or Excel's dialect) — both from one query object. Portal admins only.
 */
import { Router } from 'express';
import type { Request } from 'express';
import type { HostReportId } from '../../src/contract/index.js';
import { knowledgeTypeLabel } from '../knowledge.js';
import { itemUrl } from '../host/records.js';
import { sendCsv } from '../reports/csv-export.js';
import { isReportId, REPORTS, REPORT_IDS, USER_TYPE_LABELS } from '../reports/definitions.js';
import { PAGE_SIZE, prepareReport, searchOf } from '../reports/report.js';
import type { Cell, OutputColumn } from '../reports/report.js';
import { displayInZone } from '../reports/time.js';
import { loadItem } from './item-access.js';
import type { WebContext } from './web-context.js';

const display = (column: OutputColumn, value: Cell, timeZone: string): string =>
  value === null ? '' : value instanceof Date ? displayInZone(value, timeZone) : String(value);

export function adminReportsRoutes(web: WebContext): Router {
  const { knex, host, contributors, log, render, errorPage, requireAdmin } = web;
  const router = Router();
  const deps = () => ({ knex, contributors: contributors.all(), log });

  async function target(req: Request): Promise<{ item: NonNullable<Awaited<ReturnType<typeof loadItem>>>; report: HostReportId } | null> {
    const item = await loadItem(knex, req.params.type, req.params.id);
    const report = req.params.report;
    return item && isReportId(report) ? { item, report } : null;
  }

  router.get('/admin/items/:type/:id/reports', requireAdmin, async (req, res) => {
    const item = await loadItem(knex, req.params.type, req.params.id);
    if (!item) return errorPage(req, res, 404, 'Not found', 'There is no such item.');
    res.redirect(303, `/admin/items/${item.type}/${item.id}/reports/logins`);
  });

  router.get('/admin/items/:type/:id/reports/:report', requireAdmin, async (req, res) => {
    const found = await target(req);
    if (!found) return errorPage(req, res, 404, 'Not found', 'There is no such item or report.');
    const { item } = found;
    const report = await prepareReport(deps(), found.report, item, req.query as Record<string, unknown>);
    const { timeZone } = await host.portal.info();
    const total = await report.count();
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const page = Math.min(report.query.page, pages);
    const rows = await report.rows((page - 1) * PAGE_SIZE, PAGE_SIZE);
    const base = `/admin/items/${item.type}/${item.id}/reports`;
    const search = searchOf(report.query);
    await render(req, res, 'admin-item-reports', {
      title: `${item.title}: ${report.definition.title.toLowerCase()} report`,
      item,
      typeLabel: knowledgeTypeLabel(item.type),
      learnerUrl: itemUrl(item.type, item.id),
      tab: 'reports',
      reports: REPORT_IDS.map((id) => ({ id, title: REPORTS[id].title, href: `${base}/${id}${search}`, current: id === found.report })),
      report: { id: found.report, title: report.definition.title, summary: report.definition.summary },
      userTypes: Object.entries(USER_TYPE_LABELS).map(([value, label]) => ({ value, label })),
      userType: report.query.userType ?? '',
      filters: report.filters.map((f) => ({ ...f, chosen: report.query.chosen[f.id] ?? '' })),
      contributorFailed: report.contributorFailed,
      columns: report.columns,
      rows: rows.map((row) => row.map((value, i) => ({ text: display(report.columns[i]!, value, timeZone), kind: report.columns[i]!.kind }))),
      total,
      first: total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1,
      last: Math.min(total, page * PAGE_SIZE),
      previous: page > 1 ? `${base}/${found.report}${searchOf(report.query, page - 1)}` : null,
      next: page < pages ? `${base}/${found.report}${searchOf(report.query, page + 1)}` : null,
      page,
      pages,
      timeZone,
      action: `${base}/${found.report}`,
      exportUrl: `${base}/${found.report}/export${search}`,
      excelUrl: `${base}/${found.report}/export${search ? `${search}&` : '?'}dialect=excel`,
    });
  });

  router.get('/admin/items/:type/:id/reports/:report/export', requireAdmin, async (req, res) => {
    const found = await target(req);
    if (!found) return errorPage(req, res, 404, 'Not found', 'There is no such item or report.');
    const report = await prepareReport(deps(), found.report, found.item, req.query as Record<string, unknown>);
    const { timeZone } = await host.portal.info();
    await sendCsv(res, report, { dialect: req.query.dialect === 'excel' ? 'excel' : 'utf8', timeZone, now: host.clock.now(), log });
  });

  return router;
}
