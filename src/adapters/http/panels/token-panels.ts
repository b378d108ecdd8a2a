import { inject, injectable } from 'inversify';
import type { AccessControlPort, PanelContext } from '../../../contract/index.js';
import type { PortalPort } from '../../../domain/ports/host.ports.js';
import { expiryDateInZone } from '../../../domain/tokens/expiry.js';
import type { TokensService, TokenView } from '../../../application/tokens/tokens.service.js';
import type { PortalSwitchService } from '../../../application/portal/portal-switch.service.js';
import type { ApiKeysService } from '../../../application/api-keys/api-keys.service.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import type { Views } from '../../views.js';
import { TYPES } from '../../../container/types.js';
import type { PanelProvider } from './manifest-panels.js';
import { canManagePortal, canManageTokens } from '../../../domain/shared/user.js';
import { errorMessage, isKnownErrorCode, messages } from '../shared/messages.js';
import {
  ACTIVITY_PAGE, ADMIN_BASE, TOKENS_PAGE, auditLine, deepLink, formatDate, formatDateTime, formatExpiryDay, hostLinks, itemParam,
  readFlash, stripFlash, type Flash, portalFacts,
} from '../admin/token-admin.helpers.js';

/** Latest audit entries shown in an item's panel (the rest is one link away). */
export const PANEL_ACTIVITY = 5;

/** A token as the panels and the Tokens page print it: every string ready, nothing to compute in EJS. */
export interface TokenRowView {
  readonly id: string;
  readonly nickname: string | null;
  readonly label: string;
  readonly code: string;
  readonly custom: boolean;
  readonly status: string;
  readonly statusLabel: string;
  readonly statusHelp: string;
  readonly enabled: boolean;
  readonly uses: string;
  readonly expires: string;
  readonly expiresOn: string;
  readonly maxUses: string;
  readonly lastUsed: string;
  readonly lastUsedIso: string | null;
  readonly created: string;
  readonly createdIso: string;
  readonly deepLink: string;
  readonly qrPng: string;
  readonly qrSvg: string;
  readonly toggleAction: string;
  readonly editAction: string;
  readonly deleteUrl: string;
}

export function tokenRow(t: TokenView, publicBaseUrl: string, timeZone: string, returnTo: string): TokenRowView {
  const ta = messages.tokenAdmin;
  const base = `${ADMIN_BASE}/tokens/${encodeURIComponent(t.id)}`;
  return {
    id: t.id,
    nickname: t.nickname,
    label: t.nickname ?? t.code ?? '',
    code: t.code ?? '',
    custom: t.custom,
    status: t.status,
    statusLabel: ta.status[t.status],
    statusHelp: ta.statusHelp[t.status],
    enabled: t.enabled,
    uses: ta.usesOf(t.uses, t.maxUses),
    expires: t.expiresAt ? ta.expiresEnd(formatExpiryDay(t.expiresAt, timeZone)) : ta.never,
    expiresOn: t.expiresAt ? expiryDateInZone(t.expiresAt, timeZone) : '',
    maxUses: t.maxUses === null ? '' : String(t.maxUses),
    lastUsed: t.lastUsedAt ? formatDateTime(t.lastUsedAt, timeZone) : ta.never,
    lastUsedIso: t.lastUsedAt ? t.lastUsedAt.toISOString() : null,
    created: ta.createdBy(formatDate(t.createdAt, timeZone), t.createdByName),
    createdIso: t.createdAt.toISOString(),
    deepLink: deepLink(publicBaseUrl, t.code),
    qrPng: `${base}/qr.png`,
    qrSvg: `${base}/qr.svg`,
    toggleAction: `${base}/${t.enabled ? 'disable' : 'enable'}`,
    editAction: base,
    deleteUrl: `${base}/delete?returnTo=${encodeURIComponent(returnTo)}`,
  };
}

/** The settings panels the plugin adds to the host: an item's Enrolment panel and the portal panel. */
@injectable()
export class SettingsPanels implements PanelProvider {

  constructor(
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Portal) private readonly portal: PortalPort,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(TYPES.TokensService) private readonly tokens: TokensService,
    @inject(TYPES.PortalSwitchService) private readonly portalSwitch: PortalSwitchService,
    @inject(TYPES.ApiKeysService) private readonly apiKeys: ApiKeysService,
    @inject(TYPES.Views) private readonly views: Views,
  ) {}

  panels(): Record<string, (ctx: PanelContext) => Promise<string | null>> {
    return {
      'self-registration.enrolment': (ctx) => this.enrolment(ctx),
      'self-registration.portal': (ctx) => this.portalPanel(ctx),
    };
  }

  private flash(ctx: PanelContext): Flash {
    return readFlash(ctx.req.query as Record<string, unknown>, errorMessage, isKnownErrorCode);
  }

  private async enrolment(ctx: PanelContext): Promise<string | null> {
    if (!ctx.item || !canManageTokens(ctx.user)) return null;
    const listed = await this.tokens.listForItem(ctx.user, ctx.item.ref);
    if (!listed.ok) return null;
    const { publicBaseUrl, timeZone } = await portalFacts(this.portal);
    const status = await this.portalSwitch.status(ctx.user);
    const flash = this.flash(ctx);
    const returnTo = stripFlash(ctx.req.originalUrl);
    const ref = listed.value.item.ref;
    const activity = listed.value.tokensAllowed ? await this.tokens.activity(ctx.user, { item: ref, limit: PANEL_ACTIVITY }) : null;
    return this.views.render('panels/enrolment', {
      m: messages,
      t: messages.tokenAdmin,
      item: listed.value.item,
      tokensAllowed: listed.value.tokensAllowed,
      portalEnabled: status.ok ? status.value.enabled : true,
      portalSettingsUrl: hostLinks(this.access).portalSettings(),
      tokens: listed.value.tokens.map((t) => tokenRow(t, publicBaseUrl, timeZone, returnTo)),
      flash,
      createdId: flash.tokenId,
      csrf: this.csrf.issue(this.access.sessionKey(ctx.req)),
      action: `${ADMIN_BASE}/items/${encodeURIComponent(ref.type)}/${encodeURIComponent(ref.id)}/tokens`,
      returnTo,
      timeZone,
      activity: activity?.ok ? activity.value.entries.map((e) => auditLine(e, timeZone)) : [],
      activityMore: activity?.ok ? activity.value.nextBeforeId !== null : false,
      activityUrl: `${ACTIVITY_PAGE}?item=${encodeURIComponent(itemParam(ref))}`,
      tokensUrl: `${TOKENS_PAGE}?item=${encodeURIComponent(itemParam(ref))}`,
    });
  }

  private async portalPanel(ctx: PanelContext): Promise<string | null> {
    const status = await this.portalSwitch.status(ctx.user);
    if (!status.ok) return null;
    const { publicBaseUrl, timeZone } = await portalFacts(this.portal);
    const isSuper = canManagePortal(ctx.user);
    const keys = isSuper ? await this.apiKeys.list(ctx.user) : null;
    const ta = messages.tokenAdmin;
    return this.views.render('panels/portal', {
      m: messages,
      t: ta,
      enabled: status.value.enabled,
      canChange: status.value.canChange,
      isSuper,
      flash: this.flash(ctx),
      csrf: this.csrf.issue(this.access.sessionKey(ctx.req)),
      returnTo: stripFlash(ctx.req.originalUrl),
      switchAction: `${ADMIN_BASE}/portal/switch`,
      keyAction: `${ADMIN_BASE}/api-keys`,
      registerUrl: `${publicBaseUrl.replace(/\/+$/, '')}/register`,
      tokensUrl: TOKENS_PAGE,
      activityUrl: ACTIVITY_PAGE,
      keys: (keys?.ok ? keys.value : []).map((k) => ({
        id: k.id,
        name: k.name,
        hint: k.hint,
        created: ta.createdBy(formatDate(k.createdAt, timeZone), k.createdByName),
        lastUsed: k.lastUsedAt ? formatDateTime(k.lastUsedAt, timeZone) : ta.never,
        revoked: k.revokedAt ? ta.portal.keyRevokedBy(formatDate(k.revokedAt, timeZone), k.revokedByName) : null,
        revokeAction: `${ADMIN_BASE}/api-keys/${encodeURIComponent(k.id)}/revoke`,
      })),
    });
  }
}
