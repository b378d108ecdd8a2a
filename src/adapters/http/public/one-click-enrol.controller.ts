import { type Request, type Response, type Router } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort } from '../../../contract/index.js';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import type { RegistrationRefusal } from '../../../domain/registration/registration.js';
import type { HostUser } from '../../../domain/shared/user.js';
import { CountAttemptUseCase } from '../../../application/registration/count-attempt.use-case.js';
import { EnrolSignedInUseCase } from '../../../application/registration/enrol-signed-in.use-case.js';
import { OpenOneClickEnrolmentQuery } from '../../../application/registration/open-one-click-enrolment.query.js';
import type { Routes } from '../../../manifest/routes.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import { TYPES } from '../../../types.js';
import { errorMessage, messages } from '../shared/messages.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { consentGiven, safeLocalPath } from '../shared/validation.js';
import { clip, itemView, person, PublicPages, requestContext } from './public-pages.js';
import { PublicPaths } from './public-paths.js';
import { formBody } from '../shared/refuse-nul.js';
import { CampaignSeal } from '../../crypto/campaign-seal.js';

/** A sealed campaign as it travels in a link or a form: passed on as it came, only ever opened against its seal. */
const sealedCampaign = (value: unknown): string | null => (typeof value === 'string' && value.length <= 2000 && /^[A-Za-z0-9_.-]+$/.test(value) ? value : null);

/**
 * One-click enrolment for signed-in people (`/register/<code>/enrol`): the item, who is signed in,
 * and the consent box when the organisation links terms or privacy; the action enrols them.
 */
@injectable()
export class OneClickEnrolController implements RouteContribution {
  readonly route = 'register';

  constructor(
    @inject(OpenOneClickEnrolmentQuery) private readonly openEnrolment: OpenOneClickEnrolmentQuery,
    @inject(EnrolSignedInUseCase) private readonly enrolSignedIn: EnrolSignedInUseCase,
    @inject(CountAttemptUseCase) private readonly countAttempt: CountAttemptUseCase,
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(TYPES.Routes) private readonly routes: Routes,
    @inject(PublicPages) private readonly pages: PublicPages,
    @inject(CampaignSeal) private readonly campaigns: CampaignSeal,
    @inject(PublicPaths) private readonly paths: PublicPaths,
  ) {}

  contribute(router: Router): void {
    const enrol = this.routes.pattern('register', 'enrol');
    router.get(enrol, async (req, res) => this.enrolPage(req, res, clip(req.params.code)));
    router.post(enrol, ...formBody({ limit: '5kb', parameterLimit: 5 }), async (req, res) =>
      this.enrolAction(req, res, clip(req.params.code)));
  }

  private async enrolPage(req: Request, res: Response, code: string): Promise<void> {
    const user = await this.access.currentUser(req);
    const campaign = sealedCampaign((req.query as Record<string, unknown>).c);
    if (!user) return void res.redirect(303, this.access.signInUrl(`${this.paths.enrol(code)}${campaign ? `?c=${campaign}` : ''}`));
    return this.enrolForm(req, res, user, code, 200, {}, false, campaign);
  }

  private async enrolForm(
    req: Request, res: Response, user: HostUser, code: string, status: number, errors: Record<string, string>, consentChecked: boolean, campaign: string | null = null,
  ): Promise<void> {
    const preview = await this.openEnrolment.execute(user, code, requestContext(req));
    if (preview.kind === 'limited') return this.pages.tooMany(res, preview.retryAfterSeconds);
    if (preview.kind === 'refused') return this.enrolRefused(res, preview.reason, status);
    // Enrolled already: nothing to confirm, take them there.
    if (preview.enrolled) return void res.redirect(303, safeLocalPath(preview.item.learnerUrl));
    const look = await this.pages.look();
    return this.pages.page(res, status, 'public/enrol', {
      item: itemView(preview.item),
      signedIn: person(user),
      csrf: this.csrf.issue(this.access.sessionKey(req)),
      action: this.paths.enrol(preview.code),
      errors,
      consent: look.consentRequired,
      consentChecked,
      campaign,
      // The way to another account that exists everywhere: the form, where another email gets its own mail.
      otherAccount: this.paths.deepLink(preview.code),
    }, look);
  }

  private async enrolAction(req: Request, res: Response, code: string): Promise<void> {
    const user = await this.access.currentUser(req);
    if (!user) return void res.redirect(303, this.access.signInUrl(this.paths.enrol(code)));
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!this.csrf.verify(this.access.sessionKey(req), body._csrf)) {
      return this.pages.message(res, 403, messages.registration.enrol.title, [messages.registration.formExpired], { href: this.paths.enrol(code), label: messages.registration.enrol.heading });
    }
    const ctx = requestContext(req);
    // The organisation's terms and privacy notice bind this path as they bind the form: no tick, nothing written.
    const look = await this.pages.look();
    if (look.consentRequired && !consentGiven(body)) {
      const limited = await this.countAttempt.execute(ctx);
      if (limited) return this.pages.tooMany(res, limited.retryAfterSeconds);
      return this.enrolForm(req, res, user, code, 422, { consent: messages.fields.consent.required }, false, sealedCampaign(body.campaign));
    }
    // Evidence of consent: the links this page showed (the box was ticked, checked above).
    const consent = look.consentRequired ? { termsUrl: look.branding.termsUrl, privacyUrl: look.branding.privacyUrl } : null;
    // The campaign sealed for this code on the deep link, if it came along (ignored when forged, stale or for another code).
    const outcome = await this.enrolSignedIn.execute(user, code, ctx, consent, this.campaigns.open(body.campaign, code));
    if (outcome.kind === 'limited') return this.pages.tooMany(res, outcome.retryAfterSeconds);
    if (outcome.kind === 'refused') return this.enrolRefused(res, outcome.reason, 422);
    return void res.redirect(303, safeLocalPath(outcome.redirectTo));
  }

  private async enrolRefused(res: Response, reason: RegistrationRefusal, status: number): Promise<void> {
    if (reason.code === ErrorCodes.REGISTRATION_UNAVAILABLE) return this.pages.unavailable(res, status);
    if (reason.code === ErrorCodes.TOKEN_NOT_RECOGNISED) {
      return this.pages.message(res, status, messages.registration.tokenProblemTitle, [errorMessage(reason.code)], { href: this.paths.form(), label: messages.registration.backToForm });
    }
    return this.pages.tokenProblem(res, status, reason.code, { href: this.paths.form(), label: messages.registration.anotherToken });
  }
}
