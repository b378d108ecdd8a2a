import path from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort, CredentialsPort, HttpPort, Mounted } from '../../../contract/index.js';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import { paragraphs, textColourOn } from '../../../domain/branding/branding.js';
import type { EmailLinkPurpose, RegistrationRefusal } from '../../../domain/registration/registration.js';
import { knowledgeTypeLabel, type KnowledgeItem } from '../../../domain/shared/knowledge.js';
import { TokenCode } from '../../../domain/tokens/token-code.js';
import type { HostUser } from '../../../domain/shared/user.js';
import type { BrandingService, PublicLook } from '../../../application/branding/branding.service.js';
import type { LinkCompletion, RegistrationContext, RegistrationService } from '../../../application/registration/registration.service.js';
import { PUBLIC_CACHE_MS, ReadCache, type ChangeSignal } from '../../../application/shared/read-cache.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import type { OutboxWorker } from '../../mail/outbox.worker.js';
import { PLUGIN_ROOT, type Views } from '../../views.js';
import type { LifecycleContribution } from '../../../container/types.js';
import { TYPES } from '../../../container/types.js';
import { errorMessage, messages } from '../shared/messages.js';
import { consentGiven, fieldErrors, passwordForm, registrationForm, safeLocalPath } from '../shared/validation.js';

const HONEYPOT = 'website';

/**
 * The public pages load nothing but their own stylesheet and the logo, run no script, post only
 * to themselves and cannot be framed.
 */
export const PUBLIC_CSP = [
  "default-src 'none'",
  "img-src 'self' https: data:",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

type Values = Record<string, string>;

interface FormModel {
  readonly values: Values;
  readonly errors?: Record<string, string>;
  readonly notice?: string | null;
  readonly item?: KnowledgeItem | null;
  /** The one-click page for this code, where "Sign in" returns to; the form when null. */
  readonly enrolPath?: string | null;
  readonly consentChecked?: boolean;
}

/**
 * Public pages: the registration form with its deep links and one-click enrolment for signed-in
 * people, and the confirm pages of the emailed links. Every page is branded, uncached and framed
 * by a strict Content-Security-Policy. The visitor's address is `req.ip`: the host app's
 * `trust proxy` setting decides whether X-Forwarded-For is believed.
 */
@injectable()
export class PublicRoutes implements LifecycleContribution {
  private mounted: Mounted[] = [];
  /** The pages every anonymous visitor of a deep link (or of the plain form) gets alike, rendered once a while. */
  private readonly rendered: ReadCache<string, string>;

  constructor(
    @inject(TYPES.Http) private readonly http: HttpPort,
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Credentials) private readonly credentials: CredentialsPort,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(TYPES.RegistrationService) private readonly registration: RegistrationService,
    @inject(TYPES.BrandingService) private readonly branding: BrandingService,
    @inject(TYPES.OutboxWorker) private readonly worker: OutboxWorker,
    @inject(TYPES.Views) private readonly views: Views,
    @inject(TYPES.ChangeSignal) signal: ChangeSignal,
  ) {
    this.rendered = new ReadCache(signal, PUBLIC_CACHE_MS, () => Date.now(), 200);
  }

  start(): void {
    this.mounted.push(this.http.mount('/register', this.registerRouter(), 'public'));
    this.mounted.push(this.http.mount('/self-registration', this.linksRouter(), 'public'));
  }

  stop(): void {
    for (const m of this.mounted.splice(0)) m.unmount();
  }

  private registerRouter(): Router {
    const router = express.Router();
    router.use(pageHeaders);
    router.get('/', async (req, res) => {
      if (!(await this.registration.isOpen())) return this.unavailable(res, 200);
      return this.form(req, res, 200, { values: {} });
    });
    router.get('/:code', async (req, res) => this.deepLink(req, res, clip(req.params.code)));
    router.get('/:code/enrol', async (req, res) => this.enrolPage(req, res, clip(req.params.code)));
    router.post('/:code/enrol', express.urlencoded({ extended: false, limit: '5kb', parameterLimit: 5 }), async (req, res) =>
      this.enrolAction(req, res, clip(req.params.code)));
    router.post('/', express.urlencoded({ extended: false, limit: '20kb', parameterLimit: 20 }), async (req, res) => this.register(req, res));
    return router;
  }

  private linksRouter(): Router {
    const router = express.Router();
    router.use('/assets', express.static(path.join(PLUGIN_ROOT, 'views', 'assets'), { maxAge: '1h', index: false }));
    router.use(pageHeaders);
    for (const purpose of ['invitation', 'sign_in'] as const) {
      const route = purpose === 'invitation' ? '/invitation/:secret' : '/sign-in/:secret';
      router.get(route, async (req, res) => this.linkPage(res, purpose, String(req.params.secret)));
      router.post(route, express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 10 }), async (req, res) => {
        const secret = String(req.params.secret);
        const limited = await this.registration.throttle(context(req));
        if (limited) return this.tooMany(res, limited.retryAfterSeconds);
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

  // ---- The registration form -------------------------------------------------------------------

  private async deepLink(req: Request, res: Response, code: string): Promise<void> {
    const preview = await this.registration.preview(code, context(req));
    switch (preview.kind) {
      case 'limited':
        return this.tooMany(res, preview.retryAfterSeconds);
      case 'usable':
        return this.form(req, res, 200, { values: { token: preview.code }, item: preview.item, enrolPath: enrolPath(preview.code) });
      case 'refused':
        if (preview.reason.code === ErrorCodes.REGISTRATION_UNAVAILABLE) return this.unavailable(res, 200);
        return this.form(req, res, 200, { values: { token: code }, notice: errorMessage(preview.reason.code) });
    }
  }

  private async register(req: Request, res: Response): Promise<void> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const raw = pick(body, ['firstName', 'lastName', 'email', 'token']);
    const ctx = context(req);
    // After the answer: the mail (invitation, sign-in link, seat alert) leaves through the outbox.
    res.on('finish', () => this.worker.nudge());
    // Bots fill every field; people never see this one. Answer as if it worked, write nothing.
    if (typeof body[HONEYPOT] === 'string' && body[HONEYPOT] !== '') {
      const limited = await this.registration.throttle(ctx);
      return limited ? this.tooMany(res, limited.retryAfterSeconds) : this.done(res);
    }
    const look = await this.branding.look();
    const parsed = registrationForm.safeParse(raw);
    const errors = parsed.success ? {} : fieldErrors(parsed.error);
    const consented = consentGiven(body);
    if (look.consentRequired && !consented) errors.consent = messages.fields.consent.required;
    if (!parsed.success || Object.keys(errors).length > 0) {
      const limited = await this.registration.throttle(ctx);
      if (limited) return this.tooMany(res, limited.retryAfterSeconds);
      return this.form(req, res, 422, { values: raw, errors, consentChecked: consented, enrolPath: enrolPathFor(raw.token) });
    }
    const form = parsed.data;
    const user = await this.access.currentUser(req);
    // Only a form rendered for this session counts as the signed-in person's own request.
    const signedIn = user && this.csrf.verify(this.access.sessionKey(req), body._csrf) ? user : null;
    // Evidence of consent: the links this form showed, when it asked (the box was ticked, checked above).
    const consent = look.consentRequired ? { termsUrl: look.branding.termsUrl, privacyUrl: look.branding.privacyUrl } : null;
    const outcome = await this.registration.register({ ...form, code: form.token, consent }, { ...ctx, signedIn });
    switch (outcome.kind) {
      case 'accepted':
        return this.done(res);
      case 'enrolled':
        return void res.redirect(303, safeLocalPath(outcome.redirectTo));
      case 'limited':
        return this.tooMany(res, outcome.retryAfterSeconds);
      case 'refused':
        return this.refusedForm(req, res, outcome.reason, raw, consented);
    }
  }

  private async refusedForm(req: Request, res: Response, reason: RegistrationRefusal, values: Values, consented: boolean): Promise<void> {
    if (reason.code === ErrorCodes.REGISTRATION_UNAVAILABLE) return this.unavailable(res, 422);
    if (reason.code === ErrorCodes.SEATS_EXHAUSTED) return this.noSeats(res);
    return this.form(req, res, 422, { values, errors: { token: errorMessage(reason.code) }, consentChecked: consented, enrolPath: enrolPathFor(values.token) });
  }

  // ---- One-click enrolment for signed-in people ------------------------------------------------

  private async enrolPage(req: Request, res: Response, code: string): Promise<void> {
    const user = await this.access.currentUser(req);
    if (!user) return void res.redirect(303, this.access.signInUrl(enrolPath(code)));
    return this.enrolForm(req, res, user, code, 200, {}, false);
  }

  /** The one-click page: the item, who is signed in, and the consent box when the organisation links terms or privacy. */
  private async enrolForm(req: Request, res: Response, user: HostUser, code: string, status: number, errors: Record<string, string>, consentChecked: boolean): Promise<void> {
    const preview = await this.registration.previewFor(user, code, context(req));
    if (preview.kind === 'limited') return this.tooMany(res, preview.retryAfterSeconds);
    if (preview.kind === 'refused') return this.enrolRefused(res, preview.reason, status);
    // Enrolled already: nothing to confirm, take them there.
    if (preview.enrolled) return void res.redirect(303, safeLocalPath(preview.item.learnerUrl));
    const look = await this.branding.look();
    return this.page(res, status, 'public/enrol', {
      item: itemView(preview.item),
      signedIn: person(user),
      csrf: this.csrf.issue(this.access.sessionKey(req)),
      action: enrolPath(preview.code),
      errors,
      consent: look.consentRequired,
      consentChecked,
    }, look);
  }

  private async enrolAction(req: Request, res: Response, code: string): Promise<void> {
    const user = await this.access.currentUser(req);
    if (!user) return void res.redirect(303, this.access.signInUrl(enrolPath(code)));
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!this.csrf.verify(this.access.sessionKey(req), body._csrf)) {
      return this.message(res, 403, messages.registration.enrol.title, [messages.registration.formExpired], { href: enrolPath(code), label: messages.registration.enrol.heading });
    }
    const ctx = context(req);
    // The organisation's terms and privacy notice bind this path as they bind the form: no tick, nothing written.
    const look = await this.branding.look();
    if (look.consentRequired && !consentGiven(body)) {
      const limited = await this.registration.throttle(ctx);
      if (limited) return this.tooMany(res, limited.retryAfterSeconds);
      return this.enrolForm(req, res, user, code, 422, { consent: messages.fields.consent.required }, false);
    }
    // Evidence of consent: the links this page showed (the box was ticked, checked above).
    const consent = look.consentRequired ? { termsUrl: look.branding.termsUrl, privacyUrl: look.branding.privacyUrl } : null;
    const outcome = await this.registration.enrol(user, code, ctx, consent);
    if (outcome.kind === 'limited') return this.tooMany(res, outcome.retryAfterSeconds);
    if (outcome.kind === 'refused') return this.enrolRefused(res, outcome.reason, 422);
    return void res.redirect(303, safeLocalPath(outcome.redirectTo));
  }

  private async enrolRefused(res: Response, reason: RegistrationRefusal, status: number): Promise<void> {
    if (reason.code === ErrorCodes.REGISTRATION_UNAVAILABLE) return this.unavailable(res, status);
    return this.message(res, status, messages.registration.tokenProblemTitle, [errorMessage(reason.code)], { href: '/register', label: messages.registration.backToForm });
  }

  // ---- Emailed links ---------------------------------------------------------------------------

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
    return this.page(res, status, purpose === 'invitation' ? 'public/set-password' : 'public/sign-in', {
      copy,
      errors,
      firstName: found.user.firstName,
      email: found.user.email,
      item: found.item ? itemView(found.item) : null,
    });
  }

  private problem(res: Response, code: string): Promise<void> {
    return this.message(res, 410, messages.linkProblemTitle, [errorMessage(code)], { href: '/register', label: messages.registration.backToForm });
  }

  // ---- Rendering -------------------------------------------------------------------------------

  private async form(req: Request, res: Response, status: number, model: FormModel): Promise<void> {
    const look = await this.branding.look();
    const user = await this.access.currentUser(req);
    const values: Values = { ...model.values };
    if (user && !model.errors) {
      // Signed in: their own details, ready to enrol in one click.
      values.firstName ??= user.firstName;
      values.lastName ??= user.lastName;
      values.email ??= user.email;
    }
    const render = () => this.html('public/register', {
      values,
      errors: model.errors ?? {},
      notice: model.notice ?? null,
      item: model.item ? itemView(model.item) : null,
      honeypot: HONEYPOT,
      consent: look.consentRequired,
      consentChecked: model.consentChecked ?? false,
      signedIn: user ? person(user) : null,
      csrf: user ? this.csrf.issue(this.access.sessionKey(req)) : null,
      signInUrl: this.access.signInUrl(model.enrolPath ?? '/register'),
    }, look);
    // An anonymous visitor's deep link or plain form holds nothing personal: every such visitor gets
    // the same bytes, so the page is rendered once and reused while nothing it shows has changed.
    const shared = !user && !model.errors && !model.notice && status === 200 && (model.item || Object.keys(model.values).length === 0);
    const page = shared
      ? await this.rendered.get(`${model.item ? `${model.item.ref.type}:${model.item.ref.id}:${values.token ?? ''}` : 'form'}`, render)
      : await render();
    send(res, status, page);
  }

  private done(res: Response): Promise<void> {
    return this.page(res, 200, 'public/registered', {});
  }

  private unavailable(res: Response, status: number): Promise<void> {
    return this.message(res, status, messages.registration.unavailableTitle, [messages.registration.unavailableBody], null);
  }

  private async noSeats(res: Response): Promise<void> {
    const look = await this.branding.look();
    return this.page(res, 422, 'public/message', {
      title: messages.registration.seatsTitle,
      body: [messages.registration.seatsBody(look.portalName)],
      contact: { name: look.portalName, email: look.contactEmail },
      link: null,
    }, look);
  }

  private tooMany(res: Response, retryAfterSeconds: number): Promise<void> {
    res.set('Retry-After', String(retryAfterSeconds));
    return this.page(res, 429, 'public/too-many', { wait: messages.registration.waitFor(retryAfterSeconds) });
  }

  private message(res: Response, status: number, title: string, body: string[], link: { href: string; label: string } | null): Promise<void> {
    return this.page(res, status, 'public/message', { title, body, contact: null, link });
  }

  private async page(res: Response, status: number, view: string, model: Record<string, unknown>, look?: PublicLook): Promise<void> {
    send(res, status, await this.html(view, model, look));
  }

  private async html(view: string, model: Record<string, unknown>, look?: PublicLook): Promise<string> {
    const brand = brandView(look ?? (await this.branding.look()));
    return this.views.render(view, { m: messages, brand, ...model });
  }
}

/**
 * Sends a page as it is: these pages are never cached, so no ETag is computed for them. The length is
 * set explicitly so every visitor gets the same headers (a host's session middleware that wraps
 * `res.end` would otherwise switch signed-in visitors to chunked encoding).
 */
function send(res: Response, status: number, html: string): void {
  const body = Buffer.from(html, 'utf8');
  res.status(status).set({ 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(body.length) }).end(body);
}

type BrandView = ReturnType<typeof buildBrandView>;
const brandViews = new WeakMap<PublicLook, BrandView>();

/** Everything the templates need from the branding, ready to print; built once per (cached) look. */
function brandView(look: PublicLook): BrandView {
  let view = brandViews.get(look);
  if (!view) brandViews.set(look, (view = buildBrandView(look)));
  return view;
}

/** Colours are validated #rrggbb, so they may go into the style attribute. */
function buildBrandView(look: PublicLook) {
  const b = look.branding;
  return {
    portalName: look.portalName,
    logoUrl: b.logoUrl,
    heading: b.heading,
    introduction: paragraphs(b.introduction),
    successMessage: paragraphs(b.successMessage),
    termsUrl: b.termsUrl,
    privacyUrl: b.privacyUrl,
    style: `--selfreg-primary:${b.primaryColour};--selfreg-accent:${b.accentColour};--selfreg-on-accent:${textColourOn(b.accentColour)}`,
  };
}

const itemView = (item: KnowledgeItem) => ({ title: item.title, type: knowledgeTypeLabel(item.ref.type) });
const person = (user: HostUser) => ({ name: `${user.firstName} ${user.lastName}`.trim(), email: user.email });
const context = (req: Request): RegistrationContext => ({ ip: req.ip ?? req.socket.remoteAddress ?? null });
const clip = (value: unknown): string => String(value ?? '').slice(0, 80);

/** The one-click page of a code (only codes that read as one: never arbitrary text in a URL). */
const enrolPath = (code: string): string => `/register/${encodeURIComponent(code)}/enrol`;
function enrolPathFor(typed: string | undefined): string | null {
  const code = typed ? TokenCode.fromInput(typed) : null;
  return code?.ok ? enrolPath(code.value.display) : null;
}

function pick(body: Record<string, unknown>, keys: readonly string[]): Values {
  const out: Values = {};
  for (const k of keys) if (typeof body[k] === 'string') out[k] = body[k] as string;
  return out;
}

/** Pages with personal data or link secrets are never cached, never leak the URL as a referrer, never framed. */
function pageHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.set({
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': PUBLIC_CSP,
  });
  next();
}
