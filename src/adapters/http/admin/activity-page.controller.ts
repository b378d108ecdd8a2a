import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import type { PortalFacts } from '../../../domain/ports/portal-facts.port.js';
import type { AuditLogQuery } from '../../../application/tokens/audit-log.query.js';
import { TYPES } from '../../../types.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { messages } from '../shared/messages.js';
import { AdminPages } from './admin-pages.js';
import { AdminPaths } from './admin-paths.js';
import { ID_RE, userOf } from './admin-request.js';
import { ItemLinks } from './item-links.js';
import { parseItemParam } from '../shared/item-param.js';

const ACTIVITY_PER_PAGE = 50;

/** The Activity page (`GET /tokens/activity`): the audit log, newest first, of the portal or one item, 50 to a page. */
@injectable()
export class ActivityPageController implements RouteContribution {
  readonly route = 'admin';

  constructor(
    @inject(TYPES.PortalFacts) private readonly portal: PortalFacts,
    @inject(TYPES.AuditLogQuery) private readonly auditLog: AuditLogQuery,
    @inject(AdminPages) private readonly pages: AdminPages,
    @inject(AdminPaths) private readonly paths: AdminPaths,
    @inject(ItemLinks) private readonly items: ItemLinks,
  ) {}

  contribute(router: Router): void {
    router.get(this.paths.activityPattern, (req, res) => this.show(req, res));
  }

  private async show(req: Request, res: Response): Promise<void> {
    const user = userOf(res);
    const query = req.query as Record<string, unknown>;
    const item = parseItemParam(query.item) ?? undefined;
    const before = typeof query.before === 'string' && ID_RE.test(query.before) ? query.before : undefined;
    const result = await this.auditLog.execute(user, { limit: ACTIVITY_PER_PAGE, ...(item && { item }), ...(before && { beforeId: before }) });
    if (!result.ok) return this.pages.message(res, 403, messages.tokenAdmin.deniedTitle, messages.tokenAdmin.denied);
    const { timeZone } = await this.portal.info();
    const base = item ? this.paths.activityOf(item) : this.paths.activity;
    const sep = base.includes('?') ? '&' : '?';
    await this.pages.page(res, 200, 'admin/activity', messages.tokenAdmin.page.activityTitle, {
      filterItem: item ? await this.items.label(user, item) : null,
      entries: await this.items.auditLines(result.value.entries, timeZone),
      nextUrl: result.value.nextBeforeId ? `${base}${sep}before=${result.value.nextBeforeId}` : null,
      firstUrl: before ? base : null,
      allUrl: this.paths.activity,
      timeZone,
    });
  }
}
