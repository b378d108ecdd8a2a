import type { Request, Response, Router } from 'express';
import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import type { AccessControlPort, PanelContext } from '../../../contract/index.js';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import type { PortalFacts } from '../../../domain/ports/portal-facts.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../../domain/ports/permissions.port.js';
import type { PortalStatusQuery } from '../../../application/portal/portal-status.query.js';
import type { SwitchPortalUseCase } from '../../../application/portal/switch-portal.use-case.js';
import type { ListApiKeysQuery } from '../../../application/api-keys/list-api-keys.query.js';
import type { CreateApiKeyUseCase } from '../../../application/api-keys/create-api-key.use-case.js';
import type { RevokeApiKeyUseCase } from '../../../application/api-keys/revoke-api-key.use-case.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import type { Views } from '../../views.js';
import { TYPES } from '../../../types.js';
import { messages } from '../shared/messages.js';
import { returnPath, withFlash } from '../shared/post-redirect-get.js';
import type { SettingsPanel } from '../shared/settings-panel.js';
import { AdminGate } from './admin-gate.js';
import { AdminPages } from './admin-pages.js';
import { AdminPaths } from './admin-paths.js';
import { backOf, bodyOf, userOf } from './admin-request.js';
import { formatDate, formatDateTime } from './portal-time-format.js';
import { TokenFormFlash } from './token-form-flash.js';
import { apiKeyFormSchema, switchFormSchema } from './token-forms.js';

const PORTAL_ANCHOR = 'self-registration-portal';

/**
 * The portal's Self-registration panel: the portal-wide switch (every admin sees it, Super admins
 * flip it) and the API keys (Super admins). It owns the switch and key forms' endpoints under the
 * manifest's `admin` route.
 */
@injectable()
export class PortalPanel implements SettingsPanel {
  readonly id = 'self-registration.portal';
  readonly route = 'admin';

  constructor(
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.PortalFacts) private readonly portal: PortalFacts,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(TYPES.Views) private readonly views: Views,
    @inject(TYPES.Permissions) private readonly permissions: PermissionsPort,
    @inject(TYPES.PortalStatusQuery) private readonly portalStatus: PortalStatusQuery,
    @inject(TYPES.SwitchPortalUseCase) private readonly switchPortal: SwitchPortalUseCase,
    @inject(TYPES.ListApiKeysQuery) private readonly listKeys: ListApiKeysQuery,
    @inject(TYPES.CreateApiKeyUseCase) private readonly createKey: CreateApiKeyUseCase,
    @inject(TYPES.RevokeApiKeyUseCase) private readonly revokeKey: RevokeApiKeyUseCase,
    @inject(AdminGate) private readonly gate: AdminGate,
    @inject(AdminPages) private readonly pages: AdminPages,
    @inject(AdminPaths) private readonly paths: AdminPaths,
    @inject(TokenFormFlash) private readonly flash: TokenFormFlash,
  ) {}

  async render(ctx: PanelContext): Promise<string | null> {
    const status = await this.portalStatus.execute(ctx.user);
    if (!status.ok) return null;
    const { publicBaseUrl, timeZone } = await this.portal.info();
    const mayManageKeys = this.permissions.allows(PERMISSION_IDS.apiKeysManage, ctx.user);
    const keys = mayManageKeys ? await this.listKeys.execute(ctx.user) : null;
    const ta = messages.tokenAdmin;
    return this.views.render('panels/portal', {
      m: messages,
      t: ta,
      enabled: status.value.enabled,
      canChange: status.value.canChange,
      isSuper: mayManageKeys,
      flash: await this.flash.read(ctx.req),
      csrf: this.csrf.issue(this.access.sessionKey(ctx.req)),
      returnTo: returnPath(ctx.req.originalUrl),
      switchAction: this.paths.portalSwitch,
      keyAction: this.paths.apiKeys,
      keyRequestId: randomUUID(),
      registerUrl: this.paths.registerPage(publicBaseUrl),
      tokensUrl: this.paths.tokens,
      activityUrl: this.paths.activity,
      keys: (keys?.ok ? keys.value : []).map((k) => ({
        id: k.id,
        name: k.name,
        hint: k.hint,
        created: ta.createdBy(formatDate(k.createdAt, timeZone), k.createdByName),
        lastUsed: k.lastUsedAt ? formatDateTime(k.lastUsedAt, timeZone) : ta.never,
        revoked: k.revokedAt ? ta.portal.keyRevokedBy(formatDate(k.revokedAt, timeZone), k.revokedByName) : null,
        revokeAction: this.paths.revokeApiKey(k.id),
      })),
    });
  }

  contribute(router: Router): void {
    router.post('/portal/switch', this.gate.requires(PERMISSION_IDS.portalManage), (req, res) => this.switch(req, res));
    router.post('/api-keys', this.gate.requires(PERMISSION_IDS.apiKeysManage), (req, res) => this.create(req, res));
    router.post('/api-keys/:id/revoke', this.gate.requires(PERMISSION_IDS.apiKeysManage), (req, res) => this.revoke(req, res));
  }

  private async switch(req: Request, res: Response): Promise<void> {
    const back = backOf(req, this.paths.tokens);
    const form = switchFormSchema.safeParse(bodyOf(req));
    if (!form.success) return void res.redirect(303, withFlash(back, { selfreg_error: ErrorCodes.VALIDATION_FAILED }, PORTAL_ANCHOR));
    const done = await this.switchPortal.execute(userOf(res), form.data.enabled === 'on');
    res.redirect(303, withFlash(back, done.ok ? { selfreg: done.value.enabled ? 'switchedOn' : 'switchedOff' } : { selfreg_error: done.error.code }, PORTAL_ANCHOR));
  }

  private async create(req: Request, res: Response): Promise<void> {
    const back = backOf(req, this.paths.tokens);
    const form = apiKeyFormSchema.safeParse(bodyOf(req));
    const name = form.success ? form.data.name ?? '' : '';
    const created = await this.createKey.execute(userOf(res), name, form.success ? form.data.requestId ?? null : null);
    if (!created.ok) return void res.redirect(303, withFlash(back, await this.flash.refused(req, created.error.code, 'key', { name }), PORTAL_ANCHOR));
    // Shown once, in this response (never in a URL or a session): only its digest is stored.
    await this.pages.page(res, 201, 'admin/api-key-created', messages.tokenAdmin.portal.keyCreatedTitle, {
      key: created.value.key,
      name: created.value.apiKey.name,
      backUrl: `${returnPath(back)}#${PORTAL_ANCHOR}`,
    });
  }

  private async revoke(req: Request, res: Response): Promise<void> {
    const back = backOf(req, this.paths.tokens);
    const done = await this.revokeKey.execute(userOf(res), String(req.params.id));
    res.redirect(303, withFlash(back, done.ok ? { selfreg: 'keyRevoked' } : { selfreg_error: done.error.code }, PORTAL_ANCHOR));
  }
}
