import { inject, injectable } from 'inversify';
import type { AccessControlPort, PanelContext } from '../../../contract/index.js';
import type { PortalPort } from '../../../domain/ports/host.ports.js';
import type { MailAdminService } from '../../../application/mail/mail-admin.service.js';
import { formatLocalDateTime } from '../../../domain/notifications/digest.js';
import { isValidTimeZone } from '../../../domain/shared/time-zone.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import type { Views } from '../../views.js';
import { TYPES } from '../../../container/types.js';
import type { PanelProvider } from './manifest-panels.js';
import { errorMessage, isKnownErrorCode, messages } from '../shared/messages.js';
import { fill, panelReturnTo } from '../shared/panel-flash.js';

export const MAIL_PANEL_ID = 'self-registration.mail';
export const MAIL_ANCHOR = 'self-registration-mail';

/** The Email delivery panel on the portal settings page: Super admins only. */
@injectable()
export class MailPanel implements PanelProvider {

  constructor(
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Portal) private readonly portal: PortalPort,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(TYPES.MailAdminService) private readonly mail: MailAdminService,
    @inject(TYPES.Views) private readonly views: Views,
  ) {}

  panels(): Record<string, (ctx: PanelContext) => Promise<string | null>> {
    return { [MAIL_PANEL_ID]: (ctx) => this.render(ctx) };
  }

  async render(ctx: PanelContext): Promise<string | null> {
    const overview = await this.mail.overview(ctx.user);
    if (!overview.ok) return null;
    const { timeZone } = await this.portal.info();
    const zone = isValidTimeZone(timeZone) ? timeZone : 'UTC';
    const query = ctx.req.query as Record<string, unknown>;
    const count = Number(query.selfreg_mail_count);
    let flash: string | null = null;
    if (query.selfreg_mail === 'retried') flash = messages.mail.retried;
    if (query.selfreg_mail === 'retried_all') flash = Number.isInteger(count) && count > 0 ? fill(messages.mail.retriedAll, { n: count }) : messages.mail.retriedNone;
    const { status, failures } = overview.value;
    return this.views.render('panels/mail', {
      m: messages,
      status,
      retryingText: fill(messages.mail.retrying, { n: status.retrying }),
      oldestQueued: status.oldestQueuedAt ? formatLocalDateTime(status.oldestQueuedAt, zone) : null,
      failures: failures.map((f) => ({
        ...f,
        templateLabel: messages.mail.templates[f.template] ?? f.template,
        failedAtText: f.failedAt ? formatLocalDateTime(f.failedAt, zone) : '—',
      })),
      retryAllText: fill(messages.mail.retryAll, { n: status.failed }),
      flash,
      flashError: isKnownErrorCode(query.selfreg_mail_error) ? errorMessage(query.selfreg_mail_error) : null,
      csrf: this.csrf.issue(this.access.sessionKey(ctx.req)),
      base: '/admin/self-registration/mail',
      returnTo: panelReturnTo(ctx.req.originalUrl),
    });
  }
}
