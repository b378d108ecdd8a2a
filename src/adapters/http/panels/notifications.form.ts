import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import { isKnowledgeType } from '../../../domain/shared/knowledge.js';
import type { FormDraftStore } from '../../../domain/ports/form-drafts.port.js';
import { SaveNotificationSettings } from '../../../application/notifications/save-notification-settings.use-case.js';
import type { Routes } from '../../../manifest/routes.js';
import { TYPES } from '../../../types.js';
import { withFlash } from '../shared/post-redirect-get.js';
import { forbidden, PanelFormGate } from './panel-form-gate.js';

export const NOTIFICATIONS_ROUTE = 'notifications-form';
/** The draft store's name for this form. */
export const NOTIFICATIONS_FORM = 'notifications';
export const NOTIFICATIONS_ANCHOR = 'self-registration-notifications';
/** What is kept of a refused form: more than any valid one holds, so nothing typed is lost, but bounded. */
const DRAFT_LIMIT = 20_000;

const notificationsForm = z.object({
  enabled: z.string().max(10).optional(),
  mode: z.string().max(20).optional().default(''),
  stakeholders: z.string().optional().default(''),
});

/**
 * The Notifications panel's form: saves an item's settings, then back to the panel (post/redirect/get).
 * A refused form's values go to the draft store, and the redirect carries only the draft's id.
 */
@injectable()
export class NotificationsForm {
  constructor(
    @inject(PanelFormGate) private readonly gate: PanelFormGate,
    @inject(SaveNotificationSettings) private readonly saveSettings: SaveNotificationSettings,
    @inject(TYPES.FormDrafts) private readonly drafts: FormDraftStore,
    @inject(TYPES.Routes) private readonly routes: Routes,
  ) {}

  contribute(router: Router): void {
    router.post(this.routes.pattern(NOTIFICATIONS_ROUTE, 'item'), ...this.gate.body, (req: Request, res: Response) => this.save(req, res));
  }

  private async save(req: Request, res: Response): Promise<void> {
    const user = await this.gate.admit(req, res, { signInText: 'Sign in first' });
    if (!user) return;
    const type = String(req.params.type);
    if (!isKnowledgeType(type)) return void res.status(404).type('text/plain').send('Not found');
    const parsed = notificationsForm.safeParse(req.body ?? {});
    const form = parsed.success ? parsed.data : { enabled: undefined, mode: '', stakeholders: '' };
    const input = { enabled: form.enabled === 'on' || form.enabled === 'true', mode: form.mode, stakeholders: form.stakeholders };
    const saved = await this.saveSettings.execute(user, { type, id: String(req.params.id) }, input);
    const back = this.gate.back(req);
    if (saved.ok) return void res.redirect(303, withFlash(back, { selfreg_notify: 'saved' }, NOTIFICATIONS_ANCHOR));
    if (saved.error.code === ErrorCodes.PERMISSION_DENIED) return forbidden(res);
    // Refused: nothing was stored; what was typed comes back with the errors after the redirect.
    const draft = await this.drafts.save(this.gate.sessionKey(req), NOTIFICATIONS_FORM, { ...input, stakeholders: input.stakeholders.slice(0, DRAFT_LIMIT) });
    const flash = { selfreg_notify: 'refused', selfreg_notify_error: saved.error.code, selfreg_notify_draft: draft ?? undefined };
    res.redirect(303, withFlash(back, flash, NOTIFICATIONS_ANCHOR));
  }
}
