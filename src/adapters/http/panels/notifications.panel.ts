import { inject, injectable } from 'inversify';
import type { AccessControlPort, PanelContext } from '../../../contract/index.js';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import { knowledgeTypeLabel } from '../../../domain/shared/knowledge.js';
import { isNotificationMode, MAX_STAKEHOLDERS, parseStakeholders } from '../../../domain/notifications/notification-settings.js';
import type { NotificationsService } from '../../../application/notifications/notifications.service.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import type { KnexFormDrafts } from '../../persistence/form-draft.repository.js';
import type { Views } from '../../views.js';
import { TYPES } from '../../../container/types.js';
import type { PanelProvider } from './manifest-panels.js';
import { errorMessage, isKnownErrorCode, messages } from '../shared/messages.js';
import { fill, panelReturnTo } from '../shared/panel-flash.js';

export const NOTIFICATIONS_PANEL_ID = 'self-registration.notifications';
export const NOTIFICATIONS_FORM = 'notifications';
export const NOTIFICATIONS_ANCHOR = 'self-registration-notifications';

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

/** The Notifications panel on each item's Settings tab (Super and Standard admins). */
@injectable()
export class NotificationsPanel implements PanelProvider {

  constructor(
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(TYPES.NotificationsService) private readonly notifications: NotificationsService,
    @inject(TYPES.FormDrafts) private readonly drafts: KnexFormDrafts,
    @inject(TYPES.Views) private readonly views: Views,
  ) {}

  panels(): Record<string, (ctx: PanelContext) => Promise<string | null>> {
    return { [NOTIFICATIONS_PANEL_ID]: (ctx) => this.render(ctx) };
  }

  async render(ctx: PanelContext): Promise<string | null> {
    if (!ctx.item) return null;
    const view = await this.notifications.view(ctx.user, ctx.item.ref);
    // Hidden where it cannot apply: viewers who may not manage tokens, library content (no tokens).
    if (!view.ok) return null;
    const query = ctx.req.query as Record<string, unknown>;
    const sessionKey = this.access.sessionKey(ctx.req);
    const stored = view.value.settings;
    const raw = query.selfreg_notify === 'refused' ? await this.drafts.read(sessionKey, NOTIFICATIONS_FORM, query.selfreg_notify_draft) : null;
    const draft: NotificationsDraft | null = raw
      ? { enabled: raw.enabled === true, mode: typeof raw.mode === 'string' ? raw.mode : 'each', stakeholders: typeof raw.stakeholders === 'string' ? raw.stakeholders : '' }
      : null;
    const errors = draft ? notificationErrors(draft) : {};
    const flashError = query.selfreg_notify === 'refused' && Object.keys(errors).length === 0 && isKnownErrorCode(query.selfreg_notify_error)
      ? errorMessage(query.selfreg_notify_error)
      : null;
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
      action: `/admin/self-registration/notifications/items/${encodeURIComponent(ref.type)}/${encodeURIComponent(ref.id)}`,
      returnTo: panelReturnTo(ctx.req.originalUrl),
    });
  }
}
