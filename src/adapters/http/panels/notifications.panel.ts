import type { Router } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort, PanelContext } from '../../../contract/index.js';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import { knowledgeTypeLabel } from '../../../domain/shared/knowledge.js';
import { isNotificationMode, MAX_STAKEHOLDERS, parseStakeholders } from '../../../domain/notifications/notification-settings.js';
import type { FormDraftStore } from '../../../domain/ports/form-drafts.port.js';
import { NotificationSettingsQuery } from '../../../application/notifications/notification-settings.query.js';
import type { Routes } from '../../../manifest/routes.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import type { TemplateRenderer } from '../../views/template-renderer.js';
import { TYPES } from '../../../types.js';
import { errorMessage, isKnownErrorCode, messages } from '../shared/messages.js';
import { fill, returnPath } from '../shared/post-redirect-get.js';
import type { SettingsPanel } from '../shared/settings-panel.js';
import { NOTIFICATIONS_FORM, NOTIFICATIONS_ROUTE, NotificationsForm } from './notifications.form.js';

export const NOTIFICATIONS_PANEL_ID = 'self-registration.notifications';

/** What the notifications form held when it was refused (kept as a draft, shown again). */
export interface NotificationsDraft {
  readonly enabled: boolean;
  readonly mode: string;
  readonly stakeholders: string;
}

/** The field errors the panel shows for what was typed. */
export function notificationErrors(draft: NotificationsDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!isNotificationMode(draft.mode)) errors.mode = errorMessage(ErrorCodes.NOTIFICATION_MODE_INVALID);
  const parsed = parseStakeholders(draft.stakeholders);
  if (!parsed.ok) {
    errors.stakeholders = parsed.error.code === ErrorCodes.NOTIFICATION_RECIPIENT_INVALID
      ? fill(messages.notifications.notAddresses, { list: parsed.error.invalid.map((a) => `“${a.length > 80 ? `${a.slice(0, 79)}…` : a}”`).join(', ') })
      : fill(messages.notifications.tooMany, { count: parsed.error.count, max: parsed.error.max });
  }
  return errors;
}

const asDraft = (raw: Record<string, unknown> | null): NotificationsDraft | null =>
  raw ? { enabled: raw.enabled === true, mode: typeof raw.mode === 'string' ? raw.mode : 'each', stakeholders: typeof raw.stakeholders === 'string' ? raw.stakeholders : '' } : null;

/** The Notifications panel on each item's Settings tab (Super and Standard admins), and its form. */
@injectable()
export class NotificationsPanel implements SettingsPanel {
  readonly id = NOTIFICATIONS_PANEL_ID;
  readonly route = NOTIFICATIONS_ROUTE;

  constructor(
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(NotificationSettingsQuery) private readonly settings: NotificationSettingsQuery,
    @inject(TYPES.FormDrafts) private readonly drafts: FormDraftStore,
    @inject(TYPES.Views) private readonly views: TemplateRenderer,
    @inject(TYPES.Routes) private readonly routes: Routes,
    @inject(NotificationsForm) private readonly form: NotificationsForm,
  ) {}

  contribute(router: Router): void {
    this.form.contribute(router);
  }

  async render(ctx: PanelContext): Promise<string | null> {
    if (!ctx.item) return null;
    const view = await this.settings.execute(ctx.user, ctx.item.ref);
    // Hidden where it cannot apply: viewers who may not manage tokens, library content (no tokens).
    if (!view.ok) return null;
    const query = ctx.req.query as Record<string, unknown>;
    const sessionKey = this.access.sessionKey(ctx.req);
    const stored = view.value.settings;
    const refused = query.selfreg_notify === 'refused';
    const draft = asDraft(refused ? await this.drafts.read(sessionKey, NOTIFICATIONS_FORM, query.selfreg_notify_draft) : null);
    const errors = draft ? notificationErrors(draft) : {};
    const flashError = refused && Object.keys(errors).length === 0 && isKnownErrorCode(query.selfreg_notify_error) ? errorMessage(query.selfreg_notify_error) : null;
    const hour = `${String(view.value.digestHour).padStart(2, '0')}:00`;
    const { ref } = view.value.item;
    return this.views.render('panels/notifications', {
      m: messages,
      typeLabel: knowledgeTypeLabel(ref.type).toLowerCase(),
      values: draft ?? { enabled: stored.enabled, mode: stored.mode, stakeholders: stored.stakeholders.join('\n') },
      errors,
      flashError,
      saved: query.selfreg_notify === 'saved' ? (stored.enabled ? messages.notifications.saved : messages.notifications.savedOff) : null,
      primaryAdminEmail: view.value.primaryAdminEmail,
      digestHint: fill(messages.notifications.modeDigestHint, { hour, timeZone: view.value.timeZone }),
      maxStakeholders: MAX_STAKEHOLDERS,
      csrf: this.csrf.issue(sessionKey),
      action: this.routes.path(NOTIFICATIONS_ROUTE, 'item', { type: ref.type, id: ref.id }),
      returnTo: returnPath(ctx.req.originalUrl),
    });
  }
}
