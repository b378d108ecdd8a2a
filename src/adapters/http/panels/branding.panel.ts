import type { Router } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort, PanelContext } from '../../../contract/index.js';
import { BRANDING_FIELDS, BRANDING_LIMITS } from '../../../domain/branding/branding.js';
import type { FormDraftStore } from '../../../domain/ports/form-drafts.port.js';
import { CurrentBrandingQuery } from '../../../application/branding/current-branding.query.js';
import type { Routes } from '../../../manifest/routes.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import type { TemplateRenderer } from '../../views/template-renderer.js';
import { TYPES } from '../../../types.js';
import { messages } from '../shared/messages.js';
import { returnPath } from '../shared/post-redirect-get.js';
import type { SettingsPanel } from '../shared/settings-panel.js';
import { BRANDING_DRAFT, BRANDING_FLASH, BRANDING_FORM, BRANDING_ROUTE, BrandingForm } from './branding.form.js';
import { brandingProblems, brandingValues, previewModel, problemMessages, storedValues } from './branding-preview.js';

export const BRANDING_PANEL_ID = 'self-registration.branding';

/**
 * The "Registration page" panel on the portal settings page: the public page's logo, colours,
 * heading, introduction, terms and privacy links and after-registration message, with a live
 * preview. Super and Standard admins may edit it: they are the people who create and share the
 * tokens that lead to the page (`self-registration:branding.manage`; the use case checks it).
 * Its form posts to the manifest's `branding-form` route (CSRF token bound to the admin's session).
 */
@injectable()
export class BrandingPanel implements SettingsPanel {
  readonly id = BRANDING_PANEL_ID;
  readonly route = BRANDING_ROUTE;

  constructor(
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(CurrentBrandingQuery) private readonly currentBranding: CurrentBrandingQuery,
    @inject(TYPES.FormDrafts) private readonly drafts: FormDraftStore,
    @inject(TYPES.Views) private readonly views: TemplateRenderer,
    @inject(TYPES.Routes) private readonly routes: Routes,
    @inject(BrandingForm) private readonly form: BrandingForm,
  ) {}

  contribute(router: Router): void {
    this.form.contribute(router);
  }

  async render(ctx: PanelContext): Promise<string | null> {
    const current = await this.currentBranding.execute(ctx.user);
    if (!current.ok) return null;
    const query = ctx.req.query as Record<string, unknown>;
    const sessionKey = this.access.sessionKey(ctx.req);
    const draft = query[BRANDING_DRAFT] === undefined ? null : await this.drafts.read(sessionKey, BRANDING_FORM, query[BRANDING_DRAFT]);
    const values = draft ? brandingValues((draft.values ?? {}) as Record<string, unknown>) : storedValues(current.value.branding);
    const { publicBaseUrl, portalName } = current.value;
    return this.views.render('panels/branding', {
      m: messages,
      t: messages.brandingPanel,
      fields: BRANDING_FIELDS,
      values,
      errors: draft ? problemMessages(brandingProblems(draft.problems)) : {},
      saved: !draft && (query[BRANDING_FLASH] === 'saved' || query[BRANDING_FLASH] === 'savedUnchecked'),
      savedUnchecked: !draft && query[BRANDING_FLASH] === 'savedUnchecked',
      refused: !!draft || query[BRANDING_FLASH] === 'invalid',
      csrf: this.csrf.issue(sessionKey),
      action: this.routes.mount(BRANDING_ROUTE),
      returnTo: returnPath(ctx.req.originalUrl),
      registerUrl: `${publicBaseUrl.replace(/\/+$/, '')}${this.routes.mount('register')}`,
      portalName,
      limits: BRANDING_LIMITS,
      preview: previewModel(values),
    });
  }
}
