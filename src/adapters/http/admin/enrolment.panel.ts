import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort, PanelContext } from '../../../contract/index.js';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import { isKnowledgeType } from '../../../domain/shared/knowledge.js';
import type { PortalFacts } from '../../../domain/ports/portal-facts.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../../domain/ports/permissions.port.js';
import type { ItemTokenListQuery } from '../../../application/tokens/item-token-list.query.js';
import { ItemTokenTable, listFilter } from './item-token-table.js';
import type { AuditLogQuery } from '../../../application/tokens/audit-log.query.js';
import type { CreateTokenUseCase } from '../../../application/tokens/create-token.use-case.js';
import type { UpdateTokenUseCase } from '../../../application/tokens/update-token.use-case.js';
import type { SetTokenEnabledUseCase } from '../../../application/tokens/set-token-enabled.use-case.js';
import type { DeleteTokenUseCase } from '../../../application/tokens/delete-token.use-case.js';
import type { PortalStatusQuery } from '../../../application/portal/portal-status.query.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import type { Views } from '../../views.js';
import { TYPES } from '../../../types.js';
import { messages } from '../shared/messages.js';
import { returnPath, withFlash } from '../shared/post-redirect-get.js';
import type { SettingsPanel } from '../shared/settings-panel.js';
import { AdminPages } from './admin-pages.js';
import { AdminPaths } from './admin-paths.js';
import { backOf, bodyOf, ID_RE, tokenAnchor, userOf } from './admin-request.js';
import { auditLine } from '../shared/audit-line.js';
import { TokenFormFlash } from './token-form-flash.js';
import { parseMaxUses, tokenFormSchema } from './token-forms.js';
import { TokenRows } from './token-rows.js';

/** Latest audit entries shown in an item's panel (the rest is one link away). */
export const PANEL_ACTIVITY = 5;
const PANEL_ANCHOR = 'self-registration';

/**
 * An item's Enrolment panel: its tokens, the form that creates one, each token's edit form and its
 * deactivate/reactivate and delete buttons, and the item's latest activity. It owns those forms'
 * endpoints under the manifest's `admin` route; each answers with a redirect back (post/redirect/get).
 */
/** The other refused fields' codes of a refusal that names several at once. */
const othersOf = (refusal: { others?: readonly { code: string }[] }): string[] => (refusal.others ?? []).map((r) => r.code);

@injectable()
export class EnrolmentPanel implements SettingsPanel {
  readonly id = 'self-registration.enrolment';
  readonly route = 'admin';

  constructor(
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.PortalFacts) private readonly portal: PortalFacts,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(TYPES.Views) private readonly views: Views,
    @inject(TYPES.Permissions) private readonly permissions: PermissionsPort,
    @inject(TYPES.ItemTokenListQuery) private readonly itemTokens: ItemTokenListQuery,
    @inject(TYPES.AuditLogQuery) private readonly auditLog: AuditLogQuery,
    @inject(TYPES.PortalStatusQuery) private readonly portalStatus: PortalStatusQuery,
    @inject(TYPES.CreateTokenUseCase) private readonly createToken: CreateTokenUseCase,
    @inject(TYPES.UpdateTokenUseCase) private readonly updateToken: UpdateTokenUseCase,
    @inject(TYPES.SetTokenEnabledUseCase) private readonly setEnabled: SetTokenEnabledUseCase,
    @inject(TYPES.DeleteTokenUseCase) private readonly deleteToken: DeleteTokenUseCase,
    @inject(AdminPages) private readonly pages: AdminPages,
    @inject(AdminPaths) private readonly paths: AdminPaths,
    @inject(TokenRows) private readonly rows: TokenRows,
    @inject(TokenFormFlash) private readonly flash: TokenFormFlash,
    @inject(ItemTokenTable) private readonly lists: ItemTokenTable,
  ) {}

  async render(ctx: PanelContext): Promise<string | null> {
    if (!ctx.item || !this.permissions.allows(PERMISSION_IDS.tokensManage, ctx.user)) return null;
    const filter = listFilter(ctx.req.query as Record<string, unknown>);
    const listed = await this.itemTokens.execute(ctx.user, ctx.item.ref, filter);
    if (!listed.ok) return null;
    const { publicBaseUrl, timeZone } = await this.portal.info();
    const status = await this.portalStatus.execute(ctx.user);
    const flash = await this.flash.read(ctx.req);
    const returnTo = returnPath(ctx.req.originalUrl);
    const ref = listed.value.item.ref;
    const activity = listed.value.tokensAllowed ? await this.auditLog.execute(ctx.user, { item: ref, limit: PANEL_ACTIVITY }) : null;
    return this.views.render('panels/enrolment', {
      m: messages,
      t: messages.tokenAdmin,
      item: listed.value.item,
      tokensAllowed: listed.value.tokensAllowed,
      portalEnabled: status.ok ? status.value.enabled : true,
      portalSettingsUrl: this.pages.links().portalSettings(),
      tokens: listed.value.tokens.map((t) => this.rows.row(t, publicBaseUrl, timeZone, returnTo)),
      list: this.lists.view(listed.value, filter, returnTo, timeZone),
      flash,
      createdId: flash.tokenId,
      csrf: this.csrf.issue(this.access.sessionKey(ctx.req)),
      action: this.paths.createToken(ref),
      batchAction: this.paths.createBatch(ref),
      returnTo,
      timeZone,
      activity: activity?.ok ? activity.value.entries.map((e) => auditLine(e, timeZone)) : [],
      activityMore: activity?.ok ? activity.value.nextBeforeId !== null : false,
      activityUrl: this.paths.activityOf(ref),
      tokensUrl: this.paths.tokensOf(ref),
      disabledCopies: listed.value.disabledCopies,
    });
  }

  contribute(router: Router): void {
    router.post('/items/:type/:id/tokens', (req, res) => this.create(req, res));
    router.post(this.paths.tokenPattern(), (req, res) => this.update(req, res));
    router.post(this.paths.tokenPattern('/disable'), (req, res) => this.toggle(req, res, false));
    router.post(this.paths.tokenPattern('/enable'), (req, res) => this.toggle(req, res, true));
    router.post(this.paths.tokenPattern('/delete'), (req, res) => this.delete(req, res));
  }

  private async create(req: Request, res: Response): Promise<void> {
    const type = String(req.params.type);
    if (!isKnowledgeType(type)) return this.pages.message(res, 404, messages.tokenAdmin.notFoundTitle, messages.errors[ErrorCodes.KNOWLEDGE_NOT_FOUND]);
    const back = backOf(req, this.paths.tokens);
    const form = tokenFormSchema.safeParse(bodyOf(req));
    if (!form.success) return void res.redirect(303, withFlash(back, await this.flash.refused(req, ErrorCodes.VALIDATION_FAILED, 'create', {}), 'selfreg-create'));
    const values = form.data;
    const created = await this.createToken.execute(userOf(res), { type, id: String(req.params.id) }, {
      nickname: values.nickname ?? null,
      customCode: values.customCode ?? null,
      expiresOn: values.expiresOn ?? null,
      maxUses: parseMaxUses(values.maxUses) ?? null,
    });
    res.redirect(
      303,
      created.ok
        ? withFlash(back, { selfreg: 'created', selfreg_token: created.value.id }, PANEL_ANCHOR)
        : withFlash(back, await this.flash.refused(req, created.error.code, 'create', values, othersOf(created.error)), 'selfreg-create'),
    );
  }

  private async update(req: Request, res: Response): Promise<void> {
    const id = String(req.params.id);
    const back = backOf(req, this.paths.tokens);
    const form = tokenFormSchema.safeParse(bodyOf(req));
    const anchor = tokenAnchor(id) ?? PANEL_ANCHOR;
    const formName = `edit-${ID_RE.test(id) ? id : '0'}`;
    if (!form.success) return void res.redirect(303, withFlash(back, { ...(await this.flash.refused(req, ErrorCodes.VALIDATION_FAILED, formName, {})), selfreg_token: id }, anchor));
    const values = form.data;
    const updated = await this.updateToken.execute(userOf(res), id, {
      ...(values.nickname !== undefined && { nickname: values.nickname }),
      ...(values.expiresOn !== undefined && { expiresOn: values.expiresOn }),
      ...(values.maxUses !== undefined && { maxUses: parseMaxUses(values.maxUses) ?? null }),
    });
    const params = updated.ok ? { selfreg: 'updated', selfreg_token: id } : { ...(await this.flash.refused(req, updated.error.code, formName, values)), selfreg_token: id };
    res.redirect(303, withFlash(back, params, anchor));
  }

  private async toggle(req: Request, res: Response, enabled: boolean): Promise<void> {
    const id = String(req.params.id);
    const back = backOf(req, this.paths.tokens);
    const done = await this.setEnabled.execute(userOf(res), id, enabled);
    res.redirect(303, withFlash(back, done.ok ? { selfreg: enabled ? 'enabled' : 'disabled', selfreg_token: id } : { selfreg_error: done.error.code }, tokenAnchor(id) ?? PANEL_ANCHOR));
  }

  private async delete(req: Request, res: Response): Promise<void> {
    const back = backOf(req, this.paths.tokens);
    const done = await this.deleteToken.execute(userOf(res), String(req.params.id));
    res.redirect(303, withFlash(back, done.ok ? { selfreg: 'deleted' } : { selfreg_error: done.error.code }, PANEL_ANCHOR));
  }
}
