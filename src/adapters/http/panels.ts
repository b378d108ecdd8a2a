import { inject, injectable } from 'inversify';
import type { AccessControlPort, PanelContext, PanelsPort } from '../../contract.js';
import type { PortalPort } from '../../domain/ports/host.ports.js';
import type { SettingsRepository } from '../../domain/ports/repositories.port.js';
import type { TokensService } from '../../application/tokens.service.js';
import type { CsrfTokens } from '../crypto/crypto.adapters.js';
import type { Views } from '../views.js';
import type { LifecycleContribution } from '../../types.js';
import { TYPES } from '../../types.js';
import { canManageTokens } from '../../domain/user.js';
import { errorMessage, isKnownErrorCode, messages } from './messages.js';

/** The settings panels the plugin adds to the host: an item's Enrolment panel and the portal panel. */
@injectable()
export class SettingsPanels implements LifecycleContribution {
  private unregister: (() => void)[] = [];

  constructor(
    @inject(TYPES.Panels) private readonly panels: PanelsPort,
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Portal) private readonly portal: PortalPort,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(TYPES.TokensService) private readonly tokens: TokensService,
    @inject(TYPES.SettingsRepository) private readonly settings: SettingsRepository,
    @inject(TYPES.Views) private readonly views: Views,
  ) {}

  start(): void {
    this.unregister.push(
      this.panels.register({ slot: 'item.settings', id: 'self-registration.enrolment', title: 'Enrolment', render: (ctx) => this.enrolment(ctx) }),
      this.panels.register({ slot: 'portal.settings', id: 'self-registration.portal', title: 'Self-registration', render: (ctx) => this.portalPanel(ctx) }),
    );
  }

  stop(): void {
    for (const off of this.unregister.splice(0)) off();
  }

  private async enrolment(ctx: PanelContext): Promise<string | null> {
    if (!ctx.item || !canManageTokens(ctx.user)) return null;
    const listed = await this.tokens.listForItem(ctx.user, ctx.item.ref);
    if (!listed.ok) return null;
    const portal = await this.portal.info();
    const query = ctx.req.query as Record<string, unknown>;
    const flashError = isKnownErrorCode(query.selfreg_error) ? errorMessage(query.selfreg_error) : null;
    return this.views.render('panels/enrolment', {
      m: messages,
      item: listed.value.item,
      tokensAllowed: listed.value.tokensAllowed,
      portalEnabled: await this.settings.portalEnabled(),
      tokens: listed.value.tokens.map((t) => ({ ...t, deepLink: `${portal.publicBaseUrl}/register/${t.code ?? ''}` })),
      createdId: query.selfreg === 'created' && typeof query.selfreg_token === 'string' ? query.selfreg_token : null,
      flashError,
      csrf: this.csrf.issue(this.access.sessionKey(ctx.req)),
      action: `/admin/self-registration/items/${encodeURIComponent(ctx.item.ref.type)}/${encodeURIComponent(ctx.item.ref.id)}/tokens`,
      returnTo: ctx.req.originalUrl.split('#')[0],
      timeZone: portal.timeZone,
    });
  }

  private async portalPanel(ctx: PanelContext): Promise<string | null> {
    if (!canManageTokens(ctx.user)) return null;
    const portal = await this.portal.info();
    return this.views.render('panels/portal', { m: messages, enabled: await this.settings.portalEnabled(), registerUrl: `${portal.publicBaseUrl}/register` });
  }
}
