import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import { RetryAllMail } from '../../../application/mail/retry-all-mail.use-case.js';
import { RetryMail } from '../../../application/mail/retry-mail.use-case.js';
import type { Routes } from '../../../manifest/routes.js';
import { TYPES } from '../../../types.js';
import { withFlash } from '../shared/post-redirect-get.js';
import { forbidden, PanelFormGate } from './panel-form-gate.js';

export const MAIL_ROUTE = 'mail-form';
export const MAIL_ANCHOR = 'self-registration-mail';

/**
 * The Email delivery panel's forms: retry one failed message, or all of them, then back to the panel
 * (post/redirect/get). The outbox wakes its worker once the messages are back in the queue.
 */
@injectable()
export class MailRetryForm {
  constructor(
    @inject(PanelFormGate) private readonly gate: PanelFormGate,
    @inject(RetryMail) private readonly retryOne: RetryMail,
    @inject(RetryAllMail) private readonly retryAll: RetryAllMail,
    @inject(TYPES.Routes) private readonly routes: Routes,
  ) {}

  contribute(router: Router): void {
    router.post(this.routes.pattern(MAIL_ROUTE, 'retryAll'), ...this.gate.body, (req: Request, res: Response) => this.all(req, res));
    router.post(this.routes.pattern(MAIL_ROUTE, 'retry'), ...this.gate.body, (req: Request, res: Response) => this.one(req, res));
  }

  private async all(req: Request, res: Response): Promise<void> {
    const user = await this.gate.admit(req, res, { signInText: 'Sign in first' });
    if (!user) return;
    const done = await this.retryAll.execute(user);
    if (!done.ok) return forbidden(res);
    res.redirect(303, withFlash(this.gate.back(req), { selfreg_mail: 'retried_all', selfreg_mail_count: String(done.value) }, MAIL_ANCHOR));
  }

  private async one(req: Request, res: Response): Promise<void> {
    const user = await this.gate.admit(req, res, { signInText: 'Sign in first' });
    if (!user) return;
    const done = await this.retryOne.execute(user, String(req.params.id));
    if (!done.ok && done.error.code === ErrorCodes.PERMISSION_DENIED) return forbidden(res);
    res.redirect(303, withFlash(this.gate.back(req), done.ok ? { selfreg_mail: 'retried' } : { selfreg_mail_error: done.error.code }, MAIL_ANCHOR));
  }
}
