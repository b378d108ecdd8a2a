import { type Router } from 'express';
import { inject, injectable } from 'inversify';
import { ConfirmSignInLinkUseCase } from '../../../application/registration/confirm-sign-in-link.use-case.js';
import { CountAttemptUseCase } from '../../../application/registration/count-attempt.use-case.js';
import type { Routes } from '../../../manifest/routes.js';
import { TYPES } from '../../../types.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { EmailedLinkPages } from './emailed-link-pages.js';
import { PublicPages, requestContext } from './public-pages.js';
import { formBody } from '../shared/refuse-nul.js';

/** The emailed sign-in link of a known email (`/self-registration/sign-in/<token>`): confirmed, it enrols and signs in. */
@injectable()
export class SignInLinkController implements RouteContribution {
  readonly route = 'links';

  constructor(
    @inject(ConfirmSignInLinkUseCase) private readonly confirmSignInLink: ConfirmSignInLinkUseCase,
    @inject(CountAttemptUseCase) private readonly countAttempt: CountAttemptUseCase,
    @inject(TYPES.Routes) private readonly routes: Routes,
    @inject(EmailedLinkPages) private readonly links: EmailedLinkPages,
    @inject(PublicPages) private readonly pages: PublicPages,
  ) {}

  contribute(router: Router): void {
    const path = this.routes.pattern('links', 'signIn');
    router.get(path, async (req, res) => this.links.show(res, 'sign_in', String(req.params.token)));
    router.post(path, ...formBody({ limit: '10kb', parameterLimit: 10 }), async (req, res) => {
      const secret = String(req.params.token);
      const limited = await this.countAttempt.execute(requestContext(req));
      if (limited) return this.pages.tooMany(res, limited.retryAfterSeconds);
      return this.links.finish(req, res, 'sign_in', secret, await this.confirmSignInLink.execute(secret));
    });
  }
}
