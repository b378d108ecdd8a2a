import type { NextFunction, Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort } from '../../../contract/index.js';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import type { HostUser } from '../../../domain/shared/user.js';
import type { Refusal } from '../../../domain/shared/errors.js';
import type { Result } from '../../../domain/shared/result.js';
import type { FormDraftStore } from '../../../domain/ports/form-drafts.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../../domain/ports/permissions.port.js';
import type { WebhookUseCases } from '../../../application/webhooks/webhook-use-cases.js';
import type { Routes } from '../../../manifest/routes.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import { TYPES } from '../../../types.js';
import { messages } from '../shared/messages.js';
import { returnPath, withFlash } from '../shared/post-redirect-get.js';
import { formBody } from '../shared/refuse-nul.js';
import { AdminPages } from './admin-pages.js';
import { backOf, bodyOf } from './admin-request.js';

export const WEBHOOKS_ROUTE = 'webhooks-form';
export const WEBHOOKS_ANCHOR = 'self-registration-webhooks';
/** The form-draft key of a refused "Add an endpoint" form. */
export const WEBHOOK_DRAFT_FORM = 'webhooks:create';

/**
 * The Webhooks panel's forms, under their own manifest mount: each checks the signed-in user is a
 * Super admin and the CSRF token of their session, calls one use case, and goes back to the panel
 * (post/redirect/get) — except a new or rotated secret, shown once on a page of its own (never in a
 * URL or the session).
 */
@injectable()
export class WebhooksForm {
  readonly route = WEBHOOKS_ROUTE;

  constructor(
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(TYPES.Permissions) private readonly permissions: PermissionsPort,
    @inject(TYPES.Routes) private readonly routes: Routes,
    @inject(TYPES.WebhookUseCases) private readonly uc: WebhookUseCases,
    @inject(AdminPages) private readonly pages: AdminPages,
    @inject(TYPES.FormDrafts) private readonly drafts: FormDraftStore,
  ) {}

  contribute(router: Router): void {
    const p = (name: string) => this.routes.pattern(WEBHOOKS_ROUTE, name);
    const gate = [
      (_req: Request, res: Response, next: NextFunction) => {
        res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'same-origin' });
        next();
      },
      ...formBody({ limit: '16kb', parameterLimit: 20 }, 'admin'),
      (req: Request, res: Response, next: NextFunction) => void this.admit(req, res, next),
    ];
    const user = (res: Response) => res.locals.selfregWebhookAdmin as HostUser;
    const id = (req: Request) => String(req.params.id);
    router.post(p('create'), ...gate, async (req, res) => {
      const input = endpointInput(req);
      const done = await this.uc.create.execute(user(res), input);
      if (!done.ok) {
        // What was typed is shown again after the redirect (from this session only), never put in the URL.
        const events = (Array.isArray(input.events) ? input.events : [input.events]).filter((e): e is string => typeof e === 'string').slice(0, 20);
        const draft = await this.drafts.save(this.access.sessionKey(req), WEBHOOK_DRAFT_FORM, { url: String(input.url ?? '').slice(0, 2000), description: String(input.description ?? '').slice(0, 200), events });
        return this.back(req, res, { selfreg_webhook_error: done.error.code, ...(draft && { selfreg_webhook_draft: draft }) });
      }
      await this.showSecret(req, res, done.value.secret, done.value.endpoint.url, false);
    });
    router.post(p('update'), ...gate, async (req, res) => this.answer(req, res, await this.uc.update.execute(user(res), id(req), endpointInput(req)), 'updated'));
    router.post(p('enable'), ...gate, async (req, res) => this.answer(req, res, await this.uc.setEnabled.execute(user(res), id(req), true), 'enabled'));
    router.post(p('disable'), ...gate, async (req, res) => this.answer(req, res, await this.uc.setEnabled.execute(user(res), id(req), false), 'disabled'));
    router.post(p('delete'), ...gate, async (req, res) => this.answer(req, res, await this.uc.remove.execute(user(res), id(req)), 'deleted'));
    router.post(p('test'), ...gate, async (req, res) => this.answer(req, res, await this.uc.sendTest.execute(user(res), id(req)), 'tested'));
    router.post(p('replay'), ...gate, async (req, res) => this.answer(req, res, await this.uc.replay.execute(user(res), id(req), String(req.params.delivery)), 'replayed'));
    router.post(p('rotate'), ...gate, async (req, res) => {
      const done = await this.uc.rotate.execute(user(res), id(req));
      if (!done.ok) return this.back(req, res, { selfreg_webhook_error: done.error.code });
      await this.showSecret(req, res, done.value.secret, done.value.endpoint.url, true);
    });
  }

  private async admit(req: Request, res: Response, next: NextFunction): Promise<void> {
    const user = await this.access.currentUser(req);
    const t = messages.tokenAdmin;
    if (!user) return this.pages.message(res, 401, t.deniedTitle, t.signInFirst);
    if (!this.permissions.allows(PERMISSION_IDS.webhooksManage, user)) return this.pages.message(res, 403, t.deniedTitle, messages.webhooks.onlySuper);
    if (!this.csrf.verify(this.access.sessionKey(req), bodyOf(req)._csrf)) return this.pages.message(res, 403, t.deniedTitle, t.csrfExpired);
    res.locals.selfregWebhookAdmin = user;
    next();
  }

  private answer(req: Request, res: Response, done: Result<unknown, Refusal>, flash: string): void {
    if (!done.ok && done.error.code === ErrorCodes.PERMISSION_DENIED) return void res.status(403).type('text/plain').send(messages.webhooks.onlySuper);
    this.back(req, res, done.ok ? { selfreg_webhook: flash } : { selfreg_webhook_error: done.error.code });
  }

  private back(req: Request, res: Response, flash: Record<string, string>): void {
    res.redirect(303, withFlash(backOf(req, '/'), flash, WEBHOOKS_ANCHOR));
  }

  private async showSecret(req: Request, res: Response, secret: string, url: string, rotated: boolean): Promise<void> {
    await this.pages.page(res, 201, 'admin/webhook-secret', messages.webhooks.secretTitle, {
      w: messages.webhooks, secret, url, rotated, backUrl: `${returnPath(backOf(req, '/'))}#${WEBHOOKS_ANCHOR}`,
    });
  }
}

function endpointInput(req: Request) {
  const body = bodyOf(req);
  return { url: body.url, description: body.description, events: body.events };
}
