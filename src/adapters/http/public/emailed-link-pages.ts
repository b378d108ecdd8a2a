import type { Request, Response } from 'express';
import { inject, injectable } from 'inversify';
import type { CredentialsPort } from '../../../contract/index.js';
import type { EmailLinkPurpose } from '../../../domain/registration/registration.js';
import { InspectEmailedLinkQuery } from '../../../application/registration/inspect-emailed-link.query.js';
import type { LinkCompletion } from '../../../application/registration/registration-outcomes.js';
import { TYPES } from '../../../types.js';
import { errorMessage, messages } from '../shared/messages.js';
import { safeLocalPath } from '../shared/validation.js';
import { itemView, PublicPages } from './public-pages.js';
import { PublicPaths } from './public-paths.js';

/**
 * The confirm pages of the emailed links (set a password; sign in), what a dead link shows, and the
 * end of a completed link: the user is signed in and taken to the item.
 */
@injectable()
export class EmailedLinkPages {
  constructor(
    @inject(InspectEmailedLinkQuery) private readonly inspect: InspectEmailedLinkQuery,
    @inject(TYPES.Credentials) private readonly credentials: CredentialsPort,
    @inject(PublicPages) private readonly pages: PublicPages,
    @inject(PublicPaths) private readonly paths: PublicPaths,
  ) {}

  /** The link's confirm page, when it is live; consumes nothing. */
  async show(res: Response, purpose: EmailLinkPurpose, secret: string, errors: Record<string, string> = {}, status = 200): Promise<void> {
    const found = await this.inspect.execute(purpose, secret);
    if (!found.ok) return this.problem(res, found.reason.code);
    const copy = purpose === 'invitation' ? messages.invitation : messages.signIn;
    return this.pages.page(res, status, purpose === 'invitation' ? 'public/set-password' : 'public/sign-in', {
      copy,
      errors,
      firstName: found.user.firstName,
      email: found.user.email,
      item: found.item ? itemView(found.item) : null,
    });
  }

  /** After the link's form: signed in and on to the item, or why not. */
  async finish(req: Request, res: Response, purpose: EmailLinkPurpose, secret: string, done: LinkCompletion): Promise<void> {
    if (!done.ok) {
      if (done.message) return this.show(res, purpose, secret, { password: done.message }, 422);
      return this.problem(res, done.reason.code);
    }
    await this.credentials.signIn(req, res, done.userId);
    res.redirect(303, safeLocalPath(done.redirectTo));
  }

  private problem(res: Response, code: string): Promise<void> {
    return this.pages.message(res, 410, messages.linkProblemTitle, [errorMessage(code)], { href: this.paths.form(), label: messages.registration.backToForm });
  }
}
