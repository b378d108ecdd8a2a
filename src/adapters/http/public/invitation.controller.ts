import { type Router } from 'express';
import { inject, injectable } from 'inversify';
import { AcceptInvitationUseCase } from '../../../application/registration/accept-invitation.use-case.js';
import { CountAttemptUseCase } from '../../../application/registration/count-attempt.use-case.js';
import type { Routes } from '../../../manifest/routes.js';
import { TYPES } from '../../../types.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { fieldErrors, passwordForm } from '../shared/validation.js';
import { EmailedLinkPages } from './emailed-link-pages.js';
import { pick, PublicPages, requestContext } from './public-pages.js';
import { formBody } from '../shared/refuse-nul.js';

/** The emailed invitation (`/self-registration/invitation/<token>`): a new account sets its password and is signed in. */
@injectable()
export class InvitationController implements RouteContribution {
  readonly route = 'links';

  constructor(
    @inject(AcceptInvitationUseCase) private readonly acceptInvitation: AcceptInvitationUseCase,
    @inject(CountAttemptUseCase) private readonly countAttempt: CountAttemptUseCase,
    @inject(TYPES.Routes) private readonly routes: Routes,
    @inject(EmailedLinkPages) private readonly links: EmailedLinkPages,
    @inject(PublicPages) private readonly pages: PublicPages,
  ) {}

  contribute(router: Router): void {
    const path = this.routes.pattern('links', 'invitation');
    router.get(path, async (req, res) => this.links.show(res, 'invitation', String(req.params.token)));
    router.post(path, ...formBody({ limit: '10kb', parameterLimit: 10 }), async (req, res) => {
      const secret = String(req.params.token);
      const limited = await this.countAttempt.execute(requestContext(req));
      if (limited) return this.pages.tooMany(res, limited.retryAfterSeconds);
      const parsed = passwordForm.safeParse(pick((req.body ?? {}) as Record<string, unknown>, ['password', 'passwordConfirm']));
      if (!parsed.success) return this.links.show(res, 'invitation', secret, fieldErrors(parsed.error), 422);
      return this.links.finish(req, res, 'invitation', secret, await this.acceptInvitation.execute(secret, parsed.data.password));
    });
  }
}
