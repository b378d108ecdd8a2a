import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort } from '../../../contract/index.js';
import { isKnowledgeType, KNOWLEDGE_TYPES, knowledgeTypeLabel } from '../../../domain/shared/knowledge.js';
import { TOKEN_STATUSES, type TokenStatus } from '../../../domain/tokens/token.js';
import type { PortalFacts } from '../../../domain/ports/portal-facts.port.js';
import type { ListTokensQuery } from '../../../application/tokens/list-tokens.query.js';
import type { AuditLogQuery } from '../../../application/tokens/audit-log.query.js';
import type { PortalStatusQuery } from '../../../application/portal/portal-status.query.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import { TYPES } from '../../../types.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { returnPath } from '../shared/post-redirect-get.js';
import { messages } from '../shared/messages.js';
import { AdminPages } from './admin-pages.js';
import { AdminPaths } from './admin-paths.js';
import { ID_RE, userOf } from './admin-request.js';
import { ItemLinks } from './item-links.js';
import { itemParam, parseItemParam } from '../shared/item-param.js';
import { TokenFormFlash } from './token-form-flash.js';
import { TokenRows } from './token-rows.js';
import { tokenImport } from '../shared/messages/token-import.js';
import { IMPORT_MAX_BYTES } from '../../../domain/tokens/token-import.js';

const TOKENS_PER_PAGE = 50;

/** The page's filters as a query string (for the export, which takes the same ones). */
function nextQueryOf(q: string, status: string | undefined, type: string | undefined, item: { type: string; id: string } | undefined): string {
  const p = new URLSearchParams();
  if (q) p.set('q', q);
  if (status) p.set('status', status);
  if (type) p.set('type', type);
  if (item) p.set('item', `${item.type}:${item.id}`);
  return p.toString() ? `?${p.toString()}` : '';
}

const isTokenStatus = (v: unknown): v is TokenStatus => typeof v === 'string' && (TOKEN_STATUSES as readonly string[]).includes(v);

/** The portal-wide Tokens page (`GET /tokens`): every token, searched and filtered, 50 to a page, with the switch and recent activity. */
@injectable()
export class TokensPageController implements RouteContribution {
  readonly route = 'admin';

  constructor(
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(TYPES.PortalFacts) private readonly portal: PortalFacts,
    @inject(TYPES.ListTokensQuery) private readonly listTokens: ListTokensQuery,
    @inject(TYPES.AuditLogQuery) private readonly auditLog: AuditLogQuery,
    @inject(TYPES.PortalStatusQuery) private readonly portalStatus: PortalStatusQuery,
    @inject(AdminPages) private readonly pages: AdminPages,
    @inject(AdminPaths) private readonly paths: AdminPaths,
    @inject(ItemLinks) private readonly items: ItemLinks,
    @inject(TokenRows) private readonly rows: TokenRows,
    @inject(TokenFormFlash) private readonly flash: TokenFormFlash,
  ) {}

  contribute(router: Router): void {
    router.get(this.paths.tokensPattern, (req, res) => this.show(req, res));
  }

  private async show(req: Request, res: Response): Promise<void> {
    const user = userOf(res);
    const query = req.query as Record<string, unknown>;
    const q = typeof query.q === 'string' ? query.q.trim().slice(0, 100) : '';
    const status = isTokenStatus(query.status) ? query.status : undefined;
    const itemType = isKnowledgeType(query.type) ? query.type : undefined;
    const item = parseItemParam(query.item) ?? undefined;
    const before = typeof query.before === 'string' && ID_RE.test(query.before) ? query.before : undefined;
    const result = await this.listTokens.execute(user, {
      limit: TOKENS_PER_PAGE,
      ...(q && { q }),
      ...(status && { status }),
      ...(itemType && { itemType }),
      ...(item && { item }),
      ...(before && { beforeId: before }),
    });
    if (!result.ok) return this.pages.message(res, 403, messages.tokenAdmin.deniedTitle, messages.tokenAdmin.denied);
    const { publicBaseUrl, timeZone } = await this.portal.info();
    const links = this.pages.links();
    const here = returnPath(req.originalUrl);
    const filterItem = item ? await this.items.label(user, item) : null;
    const activity = await this.auditLog.execute(user, { limit: 10, ...(item && { item }) });
    const portalStatus = await this.portalStatus.execute(user);
    const tokensPage = this.paths.tokens;
    const nextQuery = new URLSearchParams();
    if (q) nextQuery.set('q', q);
    if (status) nextQuery.set('status', status);
    if (itemType) nextQuery.set('type', itemType);
    if (item) nextQuery.set('item', itemParam(item));
    const firstUrl = `${tokensPage}${nextQuery.toString() ? `?${nextQuery.toString()}` : ''}`;
    if (result.value.nextBeforeId) nextQuery.set('before', result.value.nextBeforeId);
    await this.pages.page(res, 200, 'admin/tokens', messages.tokenAdmin.page.tokensTitle, {
      filters: { q, status: status ?? '', type: itemType ?? '', item: item ? itemParam(item) : '' },
      filterItem,
      statuses: TOKEN_STATUSES.map((s) => ({ value: s, label: messages.tokenAdmin.status[s] })),
      types: KNOWLEDGE_TYPES.map((ty) => ({ value: ty, label: knowledgeTypeLabel(ty) })),
      total: result.value.total,
      tokens: result.value.tokens.map((t) => ({
        ...this.rows.row(t, publicBaseUrl, timeZone, here),
        itemTitle: t.itemInfo?.title ?? null,
        itemType: knowledgeTypeLabel(t.item.type),
        itemUrl: t.itemInfo ? links.itemSettings(t.item) : null,
        itemFilterUrl: this.paths.tokensOf(t.item),
      })),
      nextUrl: result.value.nextBeforeId ? `${tokensPage}?${nextQuery.toString()}` : null,
      firstUrl: before ? firstUrl : null,
      clearUrl: tokensPage,
      flash: await this.flash.read(req),
      portalEnabled: portalStatus.ok ? portalStatus.value.enabled : true,
      canChangePortal: portalStatus.ok && portalStatus.value.canChange,
      switchAction: this.paths.portalSwitch,
      csrf: this.csrf.issue(this.access.sessionKey(req)),
      returnTo: here,
      activity: activity.ok ? await this.items.auditLines(activity.value.entries, timeZone) : [],
      activityUrl: item ? this.paths.activityOf(item) : this.paths.activity,
      timeZone,
      bulk: {
        ti: tokenImport,
        exportUrl: `${this.paths.tokensExport}${nextQueryOf(q, status, itemType, item)}`,
        templateUrl: this.paths.importTemplate,
        uploadAction: this.paths.tokenImports,
        maxBytes: IMPORT_MAX_BYTES,
        tooLarge: messages.errors['IMPORT.TOO_LARGE'],
      },
    });
  }
}
