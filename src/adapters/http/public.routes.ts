import path from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort, CredentialsPort, HttpPort, Mounted } from '../../contract.js';
import type { EmailLinkPurpose } from '../../domain/registration.js';
import { knowledgeTypeLabel } from '../../domain/knowledge.js';
import type { RegistrationService, LinkCompletion } from '../../application/registration.service.js';
import type { OutboxWorker } from '../mail/outbox.worker.js';
import { PLUGIN_ROOT, type Views } from '../views.js';
import type { LifecycleContribution } from '../../types.js';
import { TYPES } from '../../types.js';
import { errorMessage, messages } from './messages.js';
import { fieldErrors, passwordForm, registrationForm, safeLocalPath } from './validation.js';

const HONEYPOT = 'website';

/** Public pages: the registration form with its deep links, and the emailed links' confirm pages. */
@injectable()
export class PublicRoutes implements LifecycleContribution {
  private mounted: Mounted[] = [];

  constructor(
    @inject(TYPES.Http) private readonly http: HttpPort,
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Credentials) private readonly credentials: CredentialsPort,
    @inject(TYPES.RegistrationService) private readonly registration: RegistrationService,
    @inject(TYPES.OutboxWorker) private readonly worker: OutboxWorker,
    @inject(TYPES.Views) private readonly views: Views,
  ) {}

  start(): void {
    this.mounted.push(this.http.mount('/register', this.registerRouter(), 'public'));
    this.mounted.push(this.http.mount('/self-registration', this.linksRouter(), 'public'));
  }

  stop(): void {
    for (const m of this.mounted.splice(0)) m.unmount();
  }

  private registerRouter(): Router {
    const router = express.Router();
    router.use(noStore);
    router.get('/', (req, res) => this.form(res, 200, { values: { token: '' } }));
    router.get('/:code', async (req, res) => {
      const code = String(req.params.code ?? '').slice(0, 80);
      const preview = await this.registration.preview(code);
      if (preview.kind === 'usable') {
        return this.form(res, 200, { values: { token: preview.code }, item: { title: preview.item.title, type: knowledgeTypeLabel(preview.item.ref.type) } });
      }
      return this.form(res, 200, { values: { token: code }, notice: errorMessage(preview.reason.code) });
    });
    router.post('/', express.urlencoded({ extended: false, limit: '20kb', parameterLimit: 20 }), async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const raw = pick(body, ['firstName', 'lastName', 'email', 'token']);
      // Bots fill every field; people never see this one. Answer as if it worked, write nothing.
      if (typeof body[HONEYPOT] === 'string' && body[HONEYPOT] !== '') return this.done(res);
      const parsed = registrationForm.safeParse(raw);
      if (!parsed.success) return this.form(res, 422, { values: raw, errors: fieldErrors(parsed.error) });
      const outcome = await this.registration.register({ ...parsed.data, code: parsed.data.token });
      if (outcome.kind === 'refused') {
        return this.form(res, 422, { values: raw, errors: { token: errorMessage(outcome.reason.code) } });
      }
      this.worker.nudge();
      return this.done(res);
    });
    return router;
  }

  private linksRouter(): Router {
    const router = express.Router();
    router.use('/assets', express.static(path.join(PLUGIN_ROOT, 'views', 'assets'), { maxAge: '1h', index: false }));
    router.use(noStore);
    for (const purpose of ['invitation', 'sign_in'] as const) {
      const route = purpose === 'invitation' ? '/invitation/:secret' : '/sign-in/:secret';
      router.get(route, async (req, res) => this.linkPage(res, purpose, String(req.params.secret)));
      router.post(route, express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 10 }), async (req, res) => {
        const secret = String(req.params.secret);
        if (purpose === 'invitation') {
          const parsed = passwordForm.safeParse(pick((req.body ?? {}) as Record<string, unknown>, ['password', 'passwordConfirm']));
          if (!parsed.success) return this.linkPage(res, purpose, secret, fieldErrors(parsed.error), 422);
          return this.finish(req, res, purpose, secret, await this.registration.acceptInvitation(secret, parsed.data.password));
        }
        return this.finish(req, res, purpose, secret, await this.registration.useSignInLink(secret));
      });
    }
    return router;
  }

  private async finish(req: Request, res: Response, purpose: EmailLinkPurpose, secret: string, done: LinkCompletion): Promise<void> {
    if (!done.ok) {
      if (done.message) return this.linkPage(res, purpose, secret, { password: done.message }, 422);
      return this.problem(res, done.reason.code);
    }
    await this.credentials.signIn(req, res, done.userId);
    res.redirect(303, safeLocalPath(done.redirectTo));
  }

  private async linkPage(res: Response, purpose: EmailLinkPurpose, secret: string, errors: Record<string, string> = {}, status = 200): Promise<void> {
    const found = await this.registration.inspectLink(purpose, secret);
    if (!found.ok) return this.problem(res, found.reason.code);
    const copy = purpose === 'invitation' ? messages.invitation : messages.signIn;
    res.status(status).send(
      await this.views.render(purpose === 'invitation' ? 'public/set-password' : 'public/sign-in', {
        m: messages,
        copy,
        errors,
        firstName: found.user.firstName,
        email: found.user.email,
        item: found.item ? { title: found.item.title, type: knowledgeTypeLabel(found.item.ref.type) } : null,
      }),
    );
  }

  private async problem(res: Response, code: string): Promise<void> {
    res.status(410).send(await this.views.render('public/message', { m: messages, title: messages.linkProblemTitle, body: errorMessage(code) }));
  }

  private async form(
    res: Response,
    status: number,
    model: { values: Record<string, unknown>; errors?: Record<string, string>; notice?: string; item?: { title: string; type: string } },
  ): Promise<void> {
    res.status(status).send(
      await this.views.render('public/register', {
        m: messages,
        values: model.values,
        errors: model.errors ?? {},
        notice: model.notice ?? null,
        item: model.item ?? null,
        honeypot: HONEYPOT,
        signInUrl: this.access.signInUrl('/'),
      }),
    );
  }

  private async done(res: Response): Promise<void> {
    res.status(200).send(await this.views.render('public/registered', { m: messages }));
  }
}

function pick(body: Record<string, unknown>, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (typeof body[k] === 'string') out[k] = body[k] as string;
  return out;
}

/** Pages with personal data or link secrets are never cached, and never leak the URL as a referrer. */
function noStore(_req: Request, res: Response, next: () => void): void {
  res.set('Cache-Control', 'no-store');
  res.set('Referrer-Policy', 'no-referrer');
  res.set('X-Content-Type-Options', 'nosniff');
  res.set('X-Frame-Options', 'DENY');
  next();
}
