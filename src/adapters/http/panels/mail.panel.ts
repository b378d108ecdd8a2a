import type { Router } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort, PanelContext } from '../../../contract/index.js';
import { MailStatusQuery } from '../../../application/mail/mail-status.query.js';
import { formatLocalDateTime } from '../../../domain/notifications/digest.js';
import type { Routes } from '../../../manifest/routes.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import type { TemplateRenderer } from '../../views/template-renderer.js';
import { TYPES } from '../../../types.js';
import { errorMessage, isKnownErrorCode, messages } from '../shared/messages.js';
import { fill, returnPath } from '../shared/post-redirect-get.js';
import type { SettingsPanel } from '../shared/settings-panel.js';
import { MAIL_ROUTE, MailRetryForm } from './mail-retry.form.js';

export const MAIL_PANEL_ID = 'self-registration.mail';

/** The Email delivery panel on the portal settings page (Super admins only), and its retry forms. */
@injectable()
export class MailPanel implements SettingsPanel {
  readonly id = MAIL_PANEL_ID;
  readonly route = MAIL_ROUTE;

  constructor(
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(MailStatusQuery) private readonly mailStatus: MailStatusQuery,
    @inject(TYPES.Views) private readonly views: TemplateRenderer,
    @inject(TYPES.Routes) private readonly routes: Routes,
    @inject(MailRetryForm) private readonly form: MailRetryForm,
  ) {}

  contribute(router: Router): void {
    this.form.contribute(router);
  }

  async render(ctx: PanelContext): Promise<string | null> {
    const overview = await this.mailStatus.execute(ctx.user);
    if (!overview.ok) return null;
    const query = ctx.req.query as Record<string, unknown>;
    const count = Number(query.selfreg_mail_count);
    let flash: string | null = null;
    if (query.selfreg_mail === 'retried') flash = messages.mail.retried;
    if (query.selfreg_mail === 'retried_all') flash = Number.isInteger(count) && count > 0 ? fill(messages.mail.retriedAll, { n: count }) : messages.mail.retriedNone;
    const { status, failures, timeZone: zone } = overview.value;
    return this.views.render('panels/mail', {
      m: messages,
      status,
      retryingText: fill(messages.mail.retrying, { n: status.retrying }),
      oldestQueued: status.oldestQueuedAt ? formatLocalDateTime(status.oldestQueuedAt, zone) : null,
      failures: failures.map((f) => ({
        ...f,
        templateLabel: messages.mail.templates[f.template] ?? f.template,
        failedAtText: f.failedAt ? formatLocalDateTime(f.failedAt, zone) : '—',
        retryAction: this.routes.path(MAIL_ROUTE, 'retry', { id: f.id }),
      })),
      retryAllText: fill(messages.mail.retryAll, { n: status.failed }),
      flash,
      flashError: isKnownErrorCode(query.selfreg_mail_error) ? errorMessage(query.selfreg_mail_error) : null,
      csrf: this.csrf.issue(this.access.sessionKey(ctx.req)),
      retryAllAction: this.routes.path(MAIL_ROUTE, 'retryAll'),
      returnTo: returnPath(ctx.req.originalUrl),
    });
  }
}
