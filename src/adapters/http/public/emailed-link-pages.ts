import type { Request, Response } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort, CredentialsPort } from '../../../contract/index.js';
import { ErrorCodes } from '../../../domain/shared/errors.js';
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
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(PublicPages) private readonly pages: PublicPages,
    @inject(PublicPaths) private readonly paths: PublicPaths,
  ) {}

  /** The link's confirm page, when it is live; consumes nothing. */
  async show(res: Response, purpose: EmailLinkPurpose, secret: string, errors: Record<string, string> = {}, status = 200): Promise<void> {
    const found = await this.inspect.execute(purpose, secret);
    if (!found.ok) return this.problem(res, found.reason.code, found.tokenCode);
    const copy = purpose === 'invitation' ? messages.invitation : messages.signIn;
    return this.pages.page(res, status, purpose === 'invitation' ? 'public/set-password' : 'public/sign-in', {
      copy,
      errors,
      firstName: found.user.firstName,
      email: found.user.email,
      item: found.item ? itemView(found.item) : null,
      // The token closed since the mail: completing still signs in, but will not enrol.
      closed: found.closed && found.item ? messages.registration.closedNotice(found.item.title, found.closed.code) : null,
    });
  }

  /** After the link's form: signed in and on to the item, or why not. */
  async finish(req: Request, res: Response, purpose: EmailLinkPurpose, secret: string, done: LinkCompletion): Promise<void> {
    if (!done.ok) {
      if (done.message) return this.show(res, purpose, secret, { password: done.message }, 422);
      // An expired link's page offers its token again: read what the link still knows.
      if (done.reason.code === ErrorCodes.LINK_EXPIRED) return this.show(res, purpose, secret);
      return this.problem(res, done.reason.code);
    }
    await this.credentials.signIn(req, res, done.userId);
    // Signed in, but the token could not enrol them: say why here, not through the host's refusal of the item.
    if (done.notEnrolled) return this.pages.notEnrolled(res, done.notEnrolled.itemTitle, done.notEnrolled.reason.code);
    res.redirect(303, safeLocalPath(done.redirectTo));
  }

  /** A dead link, with the way on that its message names: sign in (used), register again with the token filled in (expired). */
  private problem(res: Response, code: string, tokenCode?: string): Promise<void> {
    const r = messages.registration;
    const link = code === ErrorCodes.LINK_USED
      ? { href: this.access.signInUrl('/'), label: r.signInInstead }
      : code === ErrorCodes.LINK_EXPIRED
        ? { href: tokenCode ? this.paths.deepLink(tokenCode) : this.paths.form(), label: r.registerAgain }
        : { href: this.paths.form(), label: r.backToForm };
    return this.pages.message(res, 410, messages.linkProblemTitle, [errorMessage(code)], link);
  }
}
