import express, { type Request, type Response, type Router } from 'express';
import { inject, injectable } from 'inversify';
import { z } from 'zod';
import type { AccessControlPort, HttpPort, Mounted } from '../../../contract/index.js';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import { isKnowledgeType } from '../../../domain/shared/knowledge.js';
import type { HostUser } from '../../../domain/shared/user.js';
import type { NotificationsService } from '../../../application/notifications/notifications.service.js';
import type { MailAdminService } from '../../../application/mail/mail-admin.service.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import type { KnexFormDrafts } from '../../persistence/form-draft.repository.js';
import type { OutboxWorker } from '../../mail/outbox.worker.js';
import type { LifecycleContribution } from '../../../container/types.js';
import { TYPES } from '../../../container/types.js';
import { safeLocalPath } from '../shared/validation.js';
import { MAIL_PARAMS, NOTIFY_PARAMS, withPanelFlash } from '../shared/panel-flash.js';
import { NOTIFICATIONS_ANCHOR, NOTIFICATIONS_FORM } from './notifications.panel.js';
import { MAIL_ANCHOR } from './mail.panel.js';

/** What is kept of a refused form: more than any valid one holds, so nothing typed is lost, but bounded. */
const DRAFT_LIMIT = 20_000;

const notificationsForm = z.object({
  enabled: z.string().max(10).optional(),
  mode: z.string().max(20).optional().default(''),
  stakeholders: z.string().optional().default(''),
});

/**
 * Forms posted from the Notifications panel (items) and the Email delivery panel (portal). Each
 * checks a CSRF token bound to the admin's session; permissions are decided by the use cases, on the
 * server. Then back to the panel (post/redirect/get).
 */
@injectable()
export class MailAdminRoutes implements LifecycleContribution {
  private mounted: Mounted[] = [];

  constructor(
    @inject(TYPES.Http) private readonly http: HttpPort,
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(TYPES.NotificationsService) private readonly notifications: NotificationsService,
    @inject(TYPES.MailAdminService) private readonly mail: MailAdminService,
    @inject(TYPES.FormDrafts) private readonly drafts: KnexFormDrafts,
    @inject(TYPES.OutboxWorker) private readonly worker: OutboxWorker,
  ) {}

  start(): void {
    this.stop();
    this.mounted.push(this.http.mount('/admin/self-registration/notifications', this.notificationsRouter(), 'admin'));
    this.mounted.push(this.http.mount('/admin/self-registration/mail', this.mailRouter(), 'admin'));
  }

  stop(): void {
    for (const m of this.mounted.splice(0)) m.unmount();
  }

  private guarded(): Router {
    const router = express.Router();
    router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 20 }));
    router.use(async (req, res, next) => {
      const user = await this.access.currentUser(req);
      if (!user) return void res.status(401).type('text/plain').send('Sign in first');
      if (req.method !== 'GET' && !this.csrf.verify(this.access.sessionKey(req), (req.body as Record<string, unknown> | undefined)?._csrf)) {
        return void res.status(403).type('text/plain').send('This form has expired. Go back, reload the page and try again.');
      }
      res.locals.selfregUser = user;
      next();
    });
    return router;
  }

  private notificationsRouter(): Router {
    const router = this.guarded();
    router.post('/items/:type/:id', (req, res) => this.saveNotifications(req, res));
    return router;
  }

  private mailRouter(): Router {
    const router = this.guarded();
    router.post('/retry-all', async (req, res) => {
      const done = await this.mail.retryAll(res.locals.selfregUser as HostUser);
      if (!done.ok) return forbidden(res);
      if (done.value > 0) this.worker.nudge();
      res.redirect(303, withPanelFlash(back(req), MAIL_PARAMS, { selfreg_mail: 'retried_all', selfreg_mail_count: String(done.value) }, MAIL_ANCHOR));
    });
    router.post('/retry/:id', async (req, res) => {
      const done = await this.mail.retry(res.locals.selfregUser as HostUser, String(req.params.id));
      if (!done.ok && done.error.code === ErrorCodes.PERMISSION_DENIED) return forbidden(res);
      if (done.ok) this.worker.nudge();
      res.redirect(303, withPanelFlash(back(req), MAIL_PARAMS, done.ok ? { selfreg_mail: 'retried' } : { selfreg_mail_error: done.error.code }, MAIL_ANCHOR));
    });
    return router;
  }

  private async saveNotifications(req: Request, res: Response): Promise<void> {
    const type = String(req.params.type);
    if (!isKnowledgeType(type)) return void res.status(404).type('text/plain').send('Not found');
    const parsed = notificationsForm.safeParse(req.body ?? {});
    const form = parsed.success ? parsed.data : { enabled: undefined, mode: '', stakeholders: '' };
    const input = { enabled: form.enabled === 'on' || form.enabled === 'true', mode: form.mode, stakeholders: form.stakeholders };
    const saved = await this.notifications.save(res.locals.selfregUser as HostUser, { type, id: String(req.params.id) }, input);
    if (saved.ok) return void res.redirect(303, withPanelFlash(back(req), NOTIFY_PARAMS, { selfreg_notify: 'saved' }, NOTIFICATIONS_ANCHOR));
    if (saved.error.code === ErrorCodes.PERMISSION_DENIED) return forbidden(res);
    // Refused: nothing was stored; what was typed comes back with the errors after the redirect.
    const draft = await this.drafts.save(this.access.sessionKey(req), NOTIFICATIONS_FORM, { ...input, stakeholders: input.stakeholders.slice(0, DRAFT_LIMIT) });
    const params: Record<string, string> = { selfreg_notify: 'refused', selfreg_notify_error: saved.error.code };
    if (draft) params.selfreg_notify_draft = draft;
    res.redirect(303, withPanelFlash(back(req), NOTIFY_PARAMS, params, NOTIFICATIONS_ANCHOR));
  }
}

const back = (req: Request): string => safeLocalPath((req.body as Record<string, unknown> | undefined)?.returnTo, '/');

function forbidden(res: Response): void {
  res.status(403).type('text/plain').send('Forbidden');
}
