import express, { type NextFunction, type Request, type Response } from 'express';
import { inject, injectable } from 'inversify';
import QRCode from 'qrcode';
import type { AccessControlPort, HttpPort, Mounted } from '../../../contract/index.js';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import { isKnowledgeType, KNOWLEDGE_TYPES, knowledgeTypeLabel, type KnowledgeRef } from '../../../domain/shared/knowledge.js';
import { canManagePortal, canManageTokens, type HostUser } from '../../../domain/shared/user.js';
import type { CataloguePort, PortalPort } from '../../../domain/ports/host.ports.js';
import type { AuditEntry } from '../../../domain/audit/audit.js';
import type { TokensService } from '../../../application/tokens/tokens.service.js';
import type { PortalSwitchService } from '../../../application/portal/portal-switch.service.js';
import type { ApiKeysService } from '../../../application/api-keys/api-keys.service.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import type { Views } from '../../views.js';
import type { LifecycleContribution } from '../../../container/types.js';
import { TYPES } from '../../../container/types.js';
import { errorMessage, isKnownErrorCode, messages } from '../shared/messages.js';
import { safeLocalPath } from '../shared/validation.js';
import { tokenRow } from '../panels/token-panels.js';
import {
  ACTIVITY_PAGE, ADMIN_BASE, TOKENS_PAGE, apiKeyFormSchema, auditLine, deepLink, hostLinks, isTokenStatus, itemParam, parseItemParam,
  parseMaxUses, readFlash, refusalFlash, stripFlash, switchFormSchema, tokenFormSchema, withFlash, portalFacts,
} from './token-admin.helpers.js';

const ID_RE = /^\d{1,18}$/;
/** The paths this router answers below its mount (every one guarded by permission and CSRF checks). */
const OWN_PATHS = ['/items', '/tokens', '/portal', '/api-keys'];
const PORTAL_ANCHOR = 'self-registration-portal';
const TOKENS_PER_PAGE = 50;
const ACTIVITY_PER_PAGE = 50;

type Body = Record<string, unknown>;
const bodyOf = (req: Request): Body => (req.body ?? {}) as Body;
const userOf = (res: Response): HostUser => res.locals.selfregUser as HostUser;

/** A file name for a download: ASCII letters, digits and hyphens only. */
function fileSlug(text: string): string {
  return text.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
}

/**
 * Admin routes: the forms posted from the settings panels (create, edit, deactivate, reactivate,
 * delete tokens; the portal switch; API keys), the confirmation page for deleting, QR codes of deep
 * links, and the portal-wide Tokens and Activity pages. Every route checks permission on the server
 * (and the use cases check again); every POST carries a CSRF token bound to the admin's session and
 * answers with a redirect back to where it came from (post/redirect/get).
 */
@injectable()
export class AdminRoutes implements LifecycleContribution {
  private mounted: Mounted | null = null;

  constructor(
    @inject(TYPES.Http) private readonly http: HttpPort,
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(TYPES.TokensService) private readonly tokens: TokensService,
    @inject(TYPES.PortalSwitchService) private readonly portalSwitch: PortalSwitchService,
    @inject(TYPES.ApiKeysService) private readonly apiKeys: ApiKeysService,
    @inject(TYPES.Portal) private readonly portal: PortalPort,
    @inject(TYPES.Catalogue) private readonly catalogue: CataloguePort,
    @inject(TYPES.Views) private readonly views: Views,
  ) {}

  start(): void {
    const router = express.Router();
    // Only this router's own paths: other features may mount their routers below the same prefix.
    router.use(
      OWN_PATHS,
      (_req, res, next) => {
        res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'same-origin' });
        next();
      },
      express.urlencoded({ extended: false, limit: '20kb', parameterLimit: 30 }),
      (req, res, next) => this.authorise(req, res, next),
    );

    // Tokens of an item (forms of the Enrolment panel)
    router.post('/items/:type/:id/tokens', (req, res) => this.createToken(req, res));
    // The portal-wide pages (before /tokens/:id so "activity" is never read as an id)
    router.get('/tokens', (req, res) => this.tokensPage(req, res));
    router.get('/tokens/activity', (req, res) => this.activityPage(req, res));
    router.post('/tokens/:id', (req, res) => this.updateToken(req, res));
    router.post('/tokens/:id/disable', (req, res) => this.toggle(req, res, false));
    router.post('/tokens/:id/enable', (req, res) => this.toggle(req, res, true));
    router.get('/tokens/:id/delete', (req, res) => this.confirmDelete(req, res));
    router.post('/tokens/:id/delete', (req, res) => this.deleteToken(req, res));
    router.get('/tokens/:id/qr.png', (req, res) => this.qr(req, res, 'png'));
    router.get('/tokens/:id/qr.svg', (req, res) => this.qr(req, res, 'svg'));
    // Super admins only
    router.post('/portal/switch', (req, res, next) => this.superOnly(req, res, next), (req, res) => this.switchPortal(req, res));
    router.post('/api-keys', (req, res, next) => this.superOnly(req, res, next), (req, res) => this.createKey(req, res));
    router.post('/api-keys/:id/revoke', (req, res, next) => this.superOnly(req, res, next), (req, res) => this.revokeKey(req, res));

    this.mounted = this.http.mount(ADMIN_BASE, router, 'admin');
  }

  stop(): void {
    this.mounted?.unmount();
    this.mounted = null;
  }

  // ---- Guards -----------------------------------------------------------------------------------

  private async authorise(req: Request, res: Response, next: NextFunction): Promise<void> {
    const user = await this.access.currentUser(req);
    if (!canManageTokens(user)) {
      // A signed-out admin following a link lands on the host's sign-in page and comes back.
      if (!user && (req.method === 'GET' || req.method === 'HEAD')) return void res.redirect(303, this.access.signInUrl(req.originalUrl));
      return this.message(res, user ? 403 : 401, messages.tokenAdmin.deniedTitle, user ? messages.tokenAdmin.denied : messages.tokenAdmin.signInFirst);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && !this.csrf.verify(this.access.sessionKey(req), bodyOf(req)._csrf)) {
      return this.message(res, 403, messages.tokenAdmin.deniedTitle, messages.tokenAdmin.csrfExpired);
    }
    res.locals.selfregUser = user;
    next();
  }

  private superOnly(_req: Request, res: Response, next: NextFunction): void {
    if (!canManagePortal(userOf(res))) return void this.message(res, 403, messages.tokenAdmin.deniedTitle, messages.tokenAdmin.portal.onlySuper);
    next();
  }

  // ---- Token forms ------------------------------------------------------------------------------

  private async createToken(req: Request, res: Response): Promise<void> {
    const type = String(req.params.type);
    if (!isKnowledgeType(type)) return this.message(res, 404, messages.tokenAdmin.notFoundTitle, messages.errors[ErrorCodes.KNOWLEDGE_NOT_FOUND]);
    const back = safeLocalPath(bodyOf(req).returnTo, TOKENS_PAGE);
    const form = tokenFormSchema.safeParse(bodyOf(req));
    if (!form.success) return void res.redirect(303, withFlash(back, refusalFlash(ErrorCodes.VALIDATION_FAILED, 'create', {}), 'selfreg-create'));
    const values = form.data;
    const created = await this.tokens.create(userOf(res), { type, id: String(req.params.id) }, {
      nickname: values.nickname ?? null,
      customCode: values.customCode ?? null,
      expiresOn: values.expiresOn ?? null,
      maxUses: parseMaxUses(values.maxUses) ?? null,
    });
    res.redirect(
      303,
      created.ok
        ? withFlash(back, { selfreg: 'created', selfreg_token: created.value.id })
        : withFlash(back, refusalFlash(created.error.code, 'create', values), 'selfreg-create'),
    );
  }

  private async updateToken(req: Request, res: Response): Promise<void> {
    const id = String(req.params.id);
    const back = safeLocalPath(bodyOf(req).returnTo, TOKENS_PAGE);
    const form = tokenFormSchema.safeParse(bodyOf(req));
    const anchor = ID_RE.test(id) ? `selfreg-token-${id}` : undefined;
    if (!form.success) return void res.redirect(303, withFlash(back, { ...refusalFlash(ErrorCodes.VALIDATION_FAILED, `edit-${ID_RE.test(id) ? id : '0'}`, {}), selfreg_token: id }, anchor));
    const values = form.data;
    const updated = await this.tokens.update(userOf(res), id, {
      ...(values.nickname !== undefined && { nickname: values.nickname }),
      ...(values.expiresOn !== undefined && { expiresOn: values.expiresOn }),
      ...(values.maxUses !== undefined && { maxUses: parseMaxUses(values.maxUses) ?? null }),
    });
    res.redirect(
      303,
      withFlash(back, updated.ok ? { selfreg: 'updated', selfreg_token: id } : { ...refusalFlash(updated.error.code, `edit-${ID_RE.test(id) ? id : '0'}`, values), selfreg_token: id }, anchor),
    );
  }

  private async toggle(req: Request, res: Response, enabled: boolean): Promise<void> {
    const id = String(req.params.id);
    const back = safeLocalPath(bodyOf(req).returnTo, TOKENS_PAGE);
    const done = await this.tokens.setEnabled(userOf(res), id, enabled);
    res.redirect(303, withFlash(back, done.ok ? { selfreg: enabled ? 'enabled' : 'disabled', selfreg_token: id } : { selfreg_error: done.error.code }, ID_RE.test(id) ? `selfreg-token-${id}` : undefined));
  }

  private async confirmDelete(req: Request, res: Response): Promise<void> {
    const found = await this.tokens.get(userOf(res), String(req.params.id));
    if (!found.ok) return this.message(res, found.error.code === ErrorCodes.TOKEN_NOT_FOUND ? 404 : 403, messages.tokenAdmin.notFoundTitle, errorMessage(found.error.code));
    const token = found.value;
    const returnTo = safeLocalPath(req.query.returnTo, TOKENS_PAGE);
    const registrations = await this.tokens.registrations(userOf(res), token.id, { limit: 1 });
    const { publicBaseUrl, timeZone } = await portalFacts(this.portal);
    await this.page(res, 200, 'admin/delete-token', messages.tokenAdmin.deleteTitle, {
      token: tokenRow(token, publicBaseUrl, timeZone, returnTo),
      item: token.itemInfo ? { title: token.itemInfo.title, type: knowledgeTypeLabel(token.item.type) } : null,
      registrations: registrations.ok ? registrations.value.total : 0,
      action: `${ADMIN_BASE}/tokens/${encodeURIComponent(token.id)}/delete`,
      returnTo,
      cancelUrl: `${returnTo}#self-registration`,
      csrf: this.csrf.issue(this.access.sessionKey(req)),
    });
  }

  private async deleteToken(req: Request, res: Response): Promise<void> {
    const back = safeLocalPath(bodyOf(req).returnTo, TOKENS_PAGE);
    const done = await this.tokens.delete(userOf(res), String(req.params.id));
    res.redirect(303, withFlash(back, done.ok ? { selfreg: 'deleted' } : { selfreg_error: done.error.code }));
  }

  private async qr(req: Request, res: Response, format: 'png' | 'svg'): Promise<void> {
    const found = await this.tokens.get(userOf(res), String(req.params.id));
    if (!found.ok) return this.message(res, found.error.code === ErrorCodes.TOKEN_NOT_FOUND ? 404 : 403, messages.tokenAdmin.notFoundTitle, errorMessage(found.error.code));
    const link = deepLink((await portalFacts(this.portal)).publicBaseUrl, found.value.code);
    const name = `token-${fileSlug(found.value.nickname ?? '') || fileSlug(found.value.code ?? '') || found.value.id}-qr.${format}`;
    res.attachment(name);
    if (format === 'png') {
      res.type('image/png').send(await QRCode.toBuffer(link, { type: 'png', errorCorrectionLevel: 'M', margin: 4, width: 1024 }));
    } else {
      res.type('image/svg+xml').send(await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 }));
    }
  }

  // ---- Portal-wide pages ------------------------------------------------------------------------

  private async tokensPage(req: Request, res: Response): Promise<void> {
    const user = userOf(res);
    const query = req.query as Record<string, unknown>;
    const q = typeof query.q === 'string' ? query.q.trim().slice(0, 100) : '';
    const status = isTokenStatus(query.status) ? query.status : undefined;
    const itemType = isKnowledgeType(query.type) ? query.type : undefined;
    const item = parseItemParam(query.item) ?? undefined;
    const before = typeof query.before === 'string' && ID_RE.test(query.before) ? query.before : undefined;
    const result = await this.tokens.search(user, {
      limit: TOKENS_PER_PAGE,
      ...(q && { q }),
      ...(status && { status }),
      ...(itemType && { itemType }),
      ...(item && { item }),
      ...(before && { beforeId: before }),
    });
    if (!result.ok) return this.message(res, 403, messages.tokenAdmin.deniedTitle, messages.tokenAdmin.denied);
    const { publicBaseUrl, timeZone } = await portalFacts(this.portal);
    const links = hostLinks(this.access);
    const here = stripFlash(req.originalUrl);
    const filterItem = item ? await this.itemLabel(user, item) : null;
    const activity = await this.tokens.activity(user, { limit: 10, ...(item && { item }) });
    const portalStatus = await this.portalSwitch.status(user);
    const nextQuery = new URLSearchParams();
    if (q) nextQuery.set('q', q);
    if (status) nextQuery.set('status', status);
    if (itemType) nextQuery.set('type', itemType);
    if (item) nextQuery.set('item', itemParam(item));
    const firstUrl = `${TOKENS_PAGE}${nextQuery.toString() ? `?${nextQuery.toString()}` : ''}`;
    if (result.value.nextBeforeId) nextQuery.set('before', result.value.nextBeforeId);
    await this.page(res, 200, 'admin/tokens', messages.tokenAdmin.page.tokensTitle, {
      filters: { q, status: status ?? '', type: itemType ?? '', item: item ? itemParam(item) : '' },
      filterItem,
      statuses: (['active', 'disabled', 'expired', 'used_up'] as const).map((s) => ({ value: s, label: messages.tokenAdmin.status[s] })),
      types: KNOWLEDGE_TYPES.map((ty) => ({ value: ty, label: knowledgeTypeLabel(ty) })),
      total: result.value.total,
      tokens: result.value.tokens.map((t) => ({
        ...tokenRow(t, publicBaseUrl, timeZone, here),
        itemTitle: t.itemInfo?.title ?? null,
        itemType: knowledgeTypeLabel(t.item.type),
        itemUrl: t.itemInfo ? links.itemSettings(t.item) : null,
        itemFilterUrl: `${TOKENS_PAGE}?item=${encodeURIComponent(itemParam(t.item))}`,
      })),
      nextUrl: result.value.nextBeforeId ? `${TOKENS_PAGE}?${nextQuery.toString()}` : null,
      firstUrl: before ? firstUrl : null,
      clearUrl: TOKENS_PAGE,
      flash: readFlash(query, errorMessage, isKnownErrorCode),
      portalEnabled: portalStatus.ok ? portalStatus.value.enabled : true,
      canChangePortal: portalStatus.ok && portalStatus.value.canChange,
      switchAction: `${ADMIN_BASE}/portal/switch`,
      csrf: this.csrf.issue(this.access.sessionKey(req)),
      returnTo: here,
      activity: activity.ok ? await this.auditLines(activity.value.entries, timeZone) : [],
      activityUrl: item ? `${ACTIVITY_PAGE}?item=${encodeURIComponent(itemParam(item))}` : ACTIVITY_PAGE,
      timeZone,
    });
  }

  private async activityPage(req: Request, res: Response): Promise<void> {
    const user = userOf(res);
    const query = req.query as Record<string, unknown>;
    const item = parseItemParam(query.item) ?? undefined;
    const before = typeof query.before === 'string' && ID_RE.test(query.before) ? query.before : undefined;
    const result = await this.tokens.activity(user, { limit: ACTIVITY_PER_PAGE, ...(item && { item }), ...(before && { beforeId: before }) });
    if (!result.ok) return this.message(res, 403, messages.tokenAdmin.deniedTitle, messages.tokenAdmin.denied);
    const { timeZone } = await portalFacts(this.portal);
    const base = item ? `${ACTIVITY_PAGE}?item=${encodeURIComponent(itemParam(item))}` : ACTIVITY_PAGE;
    const sep = base.includes('?') ? '&' : '?';
    await this.page(res, 200, 'admin/activity', messages.tokenAdmin.page.activityTitle, {
      filterItem: item ? await this.itemLabel(user, item) : null,
      entries: await this.auditLines(result.value.entries, timeZone),
      nextUrl: result.value.nextBeforeId ? `${base}${sep}before=${result.value.nextBeforeId}` : null,
      firstUrl: before ? base : null,
      allUrl: ACTIVITY_PAGE,
      timeZone,
    });
  }

  private async itemLabel(user: HostUser, ref: KnowledgeRef): Promise<{ title: string; type: string; settingsUrl: string | null; tokensUrl: string }> {
    const listed = await this.tokens.listForItem(user, ref);
    return {
      title: listed.ok ? listed.value.item.title : messages.tokenAdmin.page.itemGone,
      type: knowledgeTypeLabel(ref.type),
      settingsUrl: listed.ok ? hostLinks(this.access).itemSettings(ref) : null,
      tokensUrl: `${TOKENS_PAGE}?item=${encodeURIComponent(itemParam(ref))}`,
    };
  }

  /** Audit lines with a link to each item's tokens (titles as the host knows them now). */
  private async auditLines(entries: readonly AuditEntry[], timeZone: string) {
    const titles = new Map<string, string | null>();
    for (const e of entries) {
      if (!e.item) continue;
      const key = itemParam(e.item);
      if (!titles.has(key)) titles.set(key, (await this.catalogue.get(e.item))?.title ?? null);
    }
    return entries.map((e) => ({
      ...auditLine(e, timeZone),
      itemLink: e.item
        ? { text: `${knowledgeTypeLabel(e.item.type)}: ${titles.get(itemParam(e.item)) ?? messages.tokenAdmin.page.itemGone}`, url: `${TOKENS_PAGE}?item=${encodeURIComponent(itemParam(e.item))}` }
        : null,
    }));
  }

  // ---- Portal switch and API keys (Super admins) ------------------------------------------------

  private async switchPortal(req: Request, res: Response): Promise<void> {
    const back = safeLocalPath(bodyOf(req).returnTo, TOKENS_PAGE);
    const form = switchFormSchema.safeParse(bodyOf(req));
    if (!form.success) return void res.redirect(303, withFlash(back, { selfreg_error: ErrorCodes.VALIDATION_FAILED }, PORTAL_ANCHOR));
    const done = await this.portalSwitch.setEnabled(userOf(res), form.data.enabled === 'on');
    res.redirect(
      303,
      withFlash(back, done.ok ? { selfreg: done.value.enabled ? 'switchedOn' : 'switchedOff' } : { selfreg_error: done.error.code }, PORTAL_ANCHOR),
    );
  }

  private async createKey(req: Request, res: Response): Promise<void> {
    const back = safeLocalPath(bodyOf(req).returnTo, TOKENS_PAGE);
    const form = apiKeyFormSchema.safeParse(bodyOf(req));
    const name = form.success ? form.data.name ?? '' : '';
    const created = await this.apiKeys.create(userOf(res), name);
    if (!created.ok) return void res.redirect(303, withFlash(back, refusalFlash(created.error.code, 'key', { name }), PORTAL_ANCHOR));
    // Shown once, in this response (never in a URL or a session): only its digest is stored.
    await this.page(res, 201, 'admin/api-key-created', messages.tokenAdmin.portal.keyCreatedTitle, {
      key: created.value.key,
      name: created.value.apiKey.name,
      backUrl: `${stripFlash(back)}#${PORTAL_ANCHOR}`,
    });
  }

  private async revokeKey(req: Request, res: Response): Promise<void> {
    const back = safeLocalPath(bodyOf(req).returnTo, TOKENS_PAGE);
    const done = await this.apiKeys.revoke(userOf(res), String(req.params.id));
    res.redirect(303, withFlash(back, done.ok ? { selfreg: 'keyRevoked' } : { selfreg_error: done.error.code }, PORTAL_ANCHOR));
  }

  // ---- Rendering --------------------------------------------------------------------------------

  /** A full page in the plugin's own admin layout, linking back into the host. */
  private async page(res: Response, status: number, view: string, title: string, data: Record<string, unknown>): Promise<void> {
    const portal = await portalFacts(this.portal);
    const links = hostLinks(this.access);
    res.status(status).send(
      await this.views.render(view, {
        m: messages,
        t: messages.tokenAdmin,
        title,
        portalName: portal.name,
        nav: { tokens: TOKENS_PAGE, activity: ACTIVITY_PAGE, portalSettings: links.portalSettings() },
        ...data,
      }),
    );
  }

  private async message(res: Response, status: number, title: string, body: string): Promise<void> {
    await this.page(res, status, 'admin/message', title, { body });
  }
}
