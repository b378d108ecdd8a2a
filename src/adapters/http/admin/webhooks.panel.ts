import type { Router } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort, PanelContext } from '../../../contract/index.js';
import { WEBHOOK_EVENTS } from '../../../domain/webhooks/webhook-events.js';
import type { PortalFacts } from '../../../domain/ports/portal-facts.port.js';
import type { WebhookUseCases } from '../../../application/webhooks/webhook-use-cases.js';
import type { Routes } from '../../../manifest/routes.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import type { Views } from '../../views.js';
import { TYPES } from '../../../types.js';
import { errorMessage, isKnownErrorCode, messages } from '../shared/messages.js';
import { fill, returnPath } from '../shared/post-redirect-get.js';
import type { SettingsPanel } from '../shared/settings-panel.js';
import { formatDateTime } from './portal-time-format.js';
import { WEBHOOK_DRAFT_FORM, WEBHOOKS_ROUTE, WebhooksForm } from './webhooks.form.js';
import type { FormDraftStore } from '../../../domain/ports/form-drafts.port.js';

/**
 * The Webhooks panel on the portal settings page (Super admins only; hidden from everyone else):
 * every endpoint with its status, events and latest deliveries (replay, body sent), its actions
 * (test, rotate, enable/disable, edit, delete), and the form that adds one. It owns its forms.
 */
@injectable()
export class WebhooksPanel implements SettingsPanel {
  readonly id = 'self-registration.webhooks';
  readonly route = WEBHOOKS_ROUTE;

  constructor(
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.PortalFacts) private readonly portal: PortalFacts,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(TYPES.Views) private readonly views: Views,
    @inject(TYPES.Routes) private readonly routes: Routes,
    @inject(TYPES.WebhookUseCases) private readonly uc: WebhookUseCases,
    @inject(WebhooksForm) private readonly form: WebhooksForm,
    @inject(TYPES.FormDrafts) private readonly drafts: FormDraftStore,
  ) {}

  contribute(router: Router): void {
    this.form.contribute(router);
  }

  async render(ctx: PanelContext): Promise<string | null> {
    const listed = await this.uc.list.execute(ctx.user);
    if (!listed.ok) return null;
    const { timeZone } = await this.portal.info();
    const w = messages.webhooks;
    const when = (d: Date | null) => (d ? formatDateTime(d, timeZone) : '—');
    const path = (name: string, params: Record<string, string>) => this.routes.path(WEBHOOKS_ROUTE, name, params);
    const query = ctx.req.query as Record<string, unknown>;
    const draft = query.selfreg_webhook_draft ? await this.drafts.read(this.access.sessionKey(ctx.req), WEBHOOK_DRAFT_FORM, query.selfreg_webhook_draft) : null;
    const errorCode = isKnownErrorCode(query.selfreg_webhook_error) ? query.selfreg_webhook_error : null;
    return this.views.render('panels/webhooks', {
      draft: draft && {
        url: String(draft.url ?? ''),
        description: String(draft.description ?? ''),
        events: Array.isArray(draft.events) ? draft.events.map(String) : [],
        error: errorCode ? fill(errorMessage(errorCode), { max: 200 }) : null,
        field: errorCode === 'WEBHOOK.EVENTS_REQUIRED' ? 'events' : errorCode === 'WEBHOOK.DESCRIPTION_TOO_LONG' ? 'description' : 'url',
      },
      w,
      events: WEBHOOK_EVENTS.map((id) => ({ id, label: w.eventLabels[id] ?? id })),
      flash: typeof query.selfreg_webhook === 'string' ? w.flash[query.selfreg_webhook] ?? null : null,
      flashError: !draft && errorCode ? fill(errorMessage(errorCode), { max: 200 }) : null,
      csrf: this.csrf.issue(this.access.sessionKey(ctx.req)),
      returnTo: returnPath(ctx.req.originalUrl),
      createAction: this.routes.path(WEBHOOKS_ROUTE, 'create', {}),
      endpoints: listed.value.map(({ endpoint: e, deliveries }) => {
        const id = { id: e.id };
        return {
          ...e,
          active: e.status === 'active',
          statusText: e.status === 'active' ? w.statusActive : e.disabledReason ? fill(w.disabledBecause, { reason: e.disabledReason }) : w.statusDisabled,
          failuresText: e.consecutiveFailures > 0 ? fill(w.failuresInRow, { n: e.consecutiveFailures }) : null,
          previousText: e.previousSecretUntil && e.previousSecretUntil.getTime() > Date.now() ? fill(w.previousSecret, { when: when(e.previousSecretUntil) }) : null,
          eventLabels: e.events.map((ev) => ev),
          actions: {
            update: path('update', id), enable: path('enable', id), disable: path('disable', id), remove: path('delete', id), rotate: path('rotate', id), test: path('test', id),
          },
          deliveries: deliveries.map((d) => ({
            ...d,
            statusText: w.deliveryStatus[d.status] ?? d.status,
            response: d.lastStatusCode !== null ? `${d.lastStatusCode}${d.lastDurationMs !== null ? ` · ${d.lastDurationMs} ms` : ''}` : d.lastError ?? '—',
            lastText: when(d.lastAttemptAt),
            nextText: d.nextAttemptAt && d.status === 'queued' ? fill(w.nextTry, { when: when(d.nextAttemptAt) }) : null,
            replayAction: d.status === 'delivered' || d.status === 'failed' ? path('replay', { id: e.id, delivery: d.id }) : null,
          })),
        };
      }),
    });
  }
}
