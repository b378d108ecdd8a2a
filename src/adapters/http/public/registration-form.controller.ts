import { type Request, type Response, type Router } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort } from '../../../contract/index.js';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import type { RegistrationRefusal } from '../../../domain/registration/registration.js';
import type { KnowledgeItem } from '../../../domain/shared/knowledge.js';
import { CountAttemptUseCase } from '../../../application/registration/count-attempt.use-case.js';
import { OpenDeepLinkQuery } from '../../../application/registration/open-deep-link.query.js';
import { OpenOneClickEnrolmentQuery } from '../../../application/registration/open-one-click-enrolment.query.js';
import type { EnrolPreview, PreviewOutcome } from '../../../application/registration/registration-outcomes.js';
import { RegisterUseCase } from '../../../application/registration/register.use-case.js';
import { RegistrationOpenQuery } from '../../../application/registration/registration-open.query.js';
import { PUBLIC_CACHE_MS, ReadCache, type ChangeSignal } from '../../../application/shared/read-cache.js';
import type { Routes } from '../../../manifest/routes.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import { TYPES } from '../../../types.js';
import { errorMessage, messages } from '../shared/messages.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { consentGiven, fieldErrors, registrationForm, safeLocalPath } from '../shared/validation.js';
import { clip, itemView, person, pick, PublicPages, requestContext, send, type SentTo, type Values } from './public-pages.js';
import { PublicPaths } from './public-paths.js';
import { formBody } from '../shared/refuse-nul.js';
import { attributionFrom } from '../../../domain/reports/attribution.js';
import type { RecordDeepLinkViewUseCase } from '../../../application/reports/record-deep-link-view.use-case.js';
import { CampaignSeal } from '../../crypto/campaign-seal.js';

const HONEYPOT = 'website';

interface FormModel {
  readonly values: Values;
  readonly errors?: Record<string, string>;
  readonly notice?: string | null;
  readonly item?: KnowledgeItem | null;
  /** The one-click page for this code, where "Sign in" returns to; the form when null. */
  readonly enrolPath?: string | null;
  readonly consentChecked?: boolean;
  /** The sealed campaign (utm_*) of the deep link that opened the form, carried to the registration. */
  readonly campaign?: string | null;
}

/** A posted sealed campaign, passed back as it came (it is only ever opened against its seal). */
const campaignOf = (body: Record<string, unknown>): string | null => (typeof body.campaign === 'string' && body.campaign.length <= 2000 && /^[A-Za-z0-9_.-]+$/.test(body.campaign) ? body.campaign : null);

/**
 * The registration form (`/register`) and its deep links (`/register/<code>`): anyone registers with
 * a code; a signed-in visitor's own email enrols at once.
 */
@injectable()
export class RegistrationFormController implements RouteContribution {
  readonly route = 'register';
  /** The pages every anonymous visitor of a deep link (or of the plain form) gets alike, rendered once a while. */
  private readonly rendered: ReadCache<string, string>;

  constructor(
    @inject(RegistrationOpenQuery) private readonly registrationOpen: RegistrationOpenQuery,
    @inject(OpenDeepLinkQuery) private readonly openDeepLink: OpenDeepLinkQuery,
    @inject(OpenOneClickEnrolmentQuery) private readonly openEnrolment: OpenOneClickEnrolmentQuery,
    @inject(CountAttemptUseCase) private readonly countAttempt: CountAttemptUseCase,
    @inject(RegisterUseCase) private readonly registerUseCase: RegisterUseCase,
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(TYPES.Routes) private readonly routes: Routes,
    @inject(PublicPages) private readonly pages: PublicPages,
    @inject(PublicPaths) private readonly paths: PublicPaths,
    @inject(TYPES.ChangeSignal) signal: ChangeSignal,
    @inject(CampaignSeal) private readonly campaigns: CampaignSeal,
    @inject(TYPES.RecordDeepLinkViewUseCase) private readonly recordView: RecordDeepLinkViewUseCase,
  ) {
    this.rendered = new ReadCache(signal, PUBLIC_CACHE_MS, () => Date.now(), 200);
  }

  contribute(router: Router): void {
    router.get('/', async (req, res) => {
      if (!(await this.registrationOpen.execute())) return this.pages.unavailable(res, 200);
      return this.form(req, res, 200, { values: {} });
    });
    router.get(this.routes.pattern('register', 'deepLink'), async (req, res) => this.deepLink(req, res, clip(req.params.code)));
    router.post('/', ...formBody({ limit: '20kb', parameterLimit: 20 }), async (req, res) => this.register(req, res));
  }

  private async deepLink(req: Request, res: Response, code: string): Promise<void> {
    const user = await this.access.currentUser(req);
    // Signed in: the same preview, plus whether they are enrolled already (then "Open", not "Register").
    const preview: PreviewOutcome | EnrolPreview = user ? await this.openEnrolment.execute(user, code, requestContext(req)) : await this.openDeepLink.execute(code, requestContext(req));
    switch (preview.kind) {
      case 'limited':
        return this.pages.tooMany(res, preview.retryAfterSeconds);
      case 'usable': {
        if ('enrolled' in preview && preview.enrolled) return this.pages.alreadyEnrolled(res, preview.item, user!);
        const attribution = attributionFrom(req.query as Record<string, unknown>);
        // Counted in memory, written in batches: a view costs no statement.
        this.recordView.execute(preview.tokenId, preview.item.ref, attribution).catch(() => undefined);
        const campaign = attribution ? this.campaigns.seal(attribution, preview.code) : null;
        return this.form(req, res, 200, { values: { token: preview.code }, item: preview.item, enrolPath: this.paths.enrol(preview.code), campaign });
      }
      case 'refused':
        if (preview.reason.code === ErrorCodes.REGISTRATION_UNAVAILABLE) return this.pages.unavailable(res, 200);
        // A token that exists but can no longer be used: no form to fill in below it, but whom to ask.
        if (preview.reason.code !== ErrorCodes.TOKEN_NOT_RECOGNISED) return this.pages.tokenProblem(res, 200, preview.reason.code, { href: this.paths.form(), label: messages.registration.anotherToken });
        return this.form(req, res, 200, { values: { token: code }, notice: errorMessage(preview.reason.code) });
    }
  }

  private async register(req: Request, res: Response): Promise<void> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const raw = pick(body, ['firstName', 'lastName', 'email', 'token']);
    const ctx = requestContext(req);
    // Bots fill every field; people never see this one. Answer as if it worked, write nothing.
    if (typeof body[HONEYPOT] === 'string' && body[HONEYPOT] !== '') {
      const limited = await this.countAttempt.execute(ctx);
      return limited ? this.pages.tooMany(res, limited.retryAfterSeconds) : this.pages.done(res, this.sentTo(raw, consentGiven(body), campaignOf(body)));
    }
    const look = await this.pages.look();
    const parsed = registrationForm.safeParse(raw);
    const errors = parsed.success ? {} : fieldErrors(parsed.error);
    const consented = consentGiven(body);
    if (look.consentRequired && !consented) errors.consent = messages.fields.consent.required;
    if (!parsed.success || Object.keys(errors).length > 0) {
      const limited = await this.countAttempt.execute(ctx);
      if (limited) return this.pages.tooMany(res, limited.retryAfterSeconds);
      return this.form(req, res, 422, { values: raw, errors, consentChecked: consented, enrolPath: this.paths.enrolFor(raw.token), campaign: campaignOf(body) });
    }
    const form = parsed.data;
    // The first touch: the campaign sealed for this code when the deep link was opened (ignored if forged, stale or for another code).
    const attribution = this.campaigns.open(body.campaign, form.token);
    const user = await this.access.currentUser(req);
    // Only a form rendered for this session counts as the signed-in person's own request.
    const signedIn = user && this.csrf.verify(this.access.sessionKey(req), body._csrf) ? user : null;
    // Evidence of consent: the links this form showed, when it asked (the box was ticked, checked above).
    const consent = look.consentRequired ? { termsUrl: look.branding.termsUrl, privacyUrl: look.branding.privacyUrl } : null;
    const outcome = await this.registerUseCase.execute({ ...form, code: form.token, consent, attribution }, { ...ctx, signedIn });
    switch (outcome.kind) {
      case 'accepted':
        return this.pages.done(res, this.sentTo(form, consented, campaignOf(body)));
      case 'enrolled':
        return void res.redirect(303, safeLocalPath(outcome.redirectTo));
      case 'limited':
        return this.pages.tooMany(res, outcome.retryAfterSeconds);
      case 'refused':
        return this.refusedForm(req, res, outcome.reason, raw, consented, campaignOf(body));
    }
  }

  private async refusedForm(req: Request, res: Response, reason: RegistrationRefusal, values: Values, consented: boolean, campaign: string | null): Promise<void> {
    if (reason.code === ErrorCodes.REGISTRATION_UNAVAILABLE) return this.pages.unavailable(res, 422);
    if (reason.code === ErrorCodes.SEATS_EXHAUSTED) return this.pages.noSeats(res);
    let error = errorMessage(reason.code);
    if (reason.code !== ErrorCodes.TOKEN_NOT_RECOGNISED) {
      const look = await this.pages.look();
      error = `${error} ${messages.registration.askContact(look.portalName, look.contactEmail)}`;
    }
    return this.form(req, res, 422, { values, errors: { token: error }, consentChecked: consented, enrolPath: this.paths.enrolFor(values.token), campaign });
  }

  /**
   * What "check your inbox" shows: the address as typed, and the same request ready to post again
   * ("send it again"), which the per-email and per-address limits bound like any registration. It
   * depends on what was typed only, never on whether the email is known; it carries no form token
   * (this answer is never the signed-in person's own enrolment, so posting it again is a plain
   * registration, protected as the form is).
   */
  private sentTo(values: Values, consented: boolean, campaign: string | null): SentTo {
    const resend: Values = {};
    for (const k of ['firstName', 'lastName', 'email', 'token'] as const) if (typeof values[k] === 'string') resend[k] = values[k];
    if (consented) resend.consent = 'yes';
    if (campaign) resend.campaign = campaign;
    return { email: values.email ?? '', resend, back: this.paths.deepLinkFor(values.token) };
  }

  private async form(req: Request, res: Response, status: number, model: FormModel): Promise<void> {
    const look = await this.pages.look();
    const user = await this.access.currentUser(req);
    const values: Values = { ...model.values };
    if (user && !model.errors) {
      // Signed in: their own details, ready to enrol in one click.
      values.firstName ??= user.firstName;
      values.lastName ??= user.lastName;
      values.email ??= user.email;
    }
    const render = () => this.pages.html('public/register', {
      values,
      errors: model.errors ?? {},
      notice: model.notice ?? null,
      item: model.item ? itemView(model.item) : null,
      honeypot: HONEYPOT,
      consent: look.consentRequired,
      consentChecked: model.consentChecked ?? false,
      signedIn: user ? person(user) : null,
      csrf: user ? this.csrf.issue(this.access.sessionKey(req)) : null,
      // The sealed campaign goes along to the one-click page the sign-in returns to.
      signInUrl: this.access.signInUrl(model.enrolPath ? `${model.enrolPath}${model.campaign ? `?c=${model.campaign}` : ''}` : this.paths.form()),
      campaign: model.campaign ?? null,
    }, look);
    // An anonymous visitor's deep link or plain form holds nothing personal: every such visitor gets
    // the same bytes, so the page is rendered once and reused while nothing it shows has changed.
    const shared = !user && !model.errors && !model.notice && !model.campaign && status === 200 && (model.item || Object.keys(model.values).length === 0);
    const page = shared
      ? await this.rendered.get(`${model.item ? `${model.item.ref.type}:${model.item.ref.id}:${values.token ?? ''}` : 'form'}`, render)
      : await render();
    send(res, status, page);
  }
}
