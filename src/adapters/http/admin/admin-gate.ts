import { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort } from '../../../contract/index.js';
import { PERMISSION_IDS, type PermissionId, type PermissionsPort } from '../../../domain/ports/permissions.port.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import { TYPES } from '../../../types.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { messages } from '../shared/messages.js';
import { AdminPages } from './admin-pages.js';
import { AdminPaths } from './admin-paths.js';
import { bodyOf, userOf } from './admin-request.js';
import { formBody } from '../shared/refuse-nul.js';

/**
 * The first contribution to the `admin` route: for token management's own paths only (other
 * features mount below the same prefix) it sets the response headers, reads the form body, lets
 * through only people who manage tokens, and checks the CSRF token of every POST against the
 * admin's session. The use cases check permission again.
 */
@injectable()
export class AdminGate implements RouteContribution {
  readonly route = 'admin';

  constructor(
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(TYPES.Permissions) private readonly permissions: PermissionsPort,
    @inject(AdminPages) private readonly pages: AdminPages,
    @inject(AdminPaths) private readonly paths: AdminPaths,
  ) {}

  contribute(router: Router): void {
    router.use(
      ['/items', this.paths.tokensPattern, '/portal', '/api-keys', this.paths.registrationsReportPattern, this.paths.usageReportPattern, this.paths.patternOf('rules')],
      (_req, res, next) => {
        res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'same-origin' });
        next();
      },
      // A rule's form names up to 20 items besides its other fields.
      ...formBody({ limit: '20kb', parameterLimit: 60 }, 'admin'),
      (req, res, next) => this.authorise(req, res, next),
    );
  }

  /** A route's extra requirement beyond managing tokens (Super admins' portal switch and API keys). */
  requires(permission: PermissionId): RequestHandler {
    return (_req, res, next) => {
      if (!this.permissions.allows(permission, userOf(res))) return void this.pages.message(res, 403, messages.tokenAdmin.deniedTitle, messages.tokenAdmin.portal.onlySuper);
      next();
    };
  }

  private async authorise(req: Request, res: Response, next: NextFunction): Promise<void> {
    const user = await this.access.currentUser(req);
    if (!this.permissions.allows(PERMISSION_IDS.tokensManage, user)) {
      // A signed-out admin following a link lands on the host's sign-in page and comes back.
      if (!user && (req.method === 'GET' || req.method === 'HEAD')) return void res.redirect(303, this.access.signInUrl(req.originalUrl));
      return this.pages.message(res, user ? 403 : 401, messages.tokenAdmin.deniedTitle, user ? messages.tokenAdmin.denied : messages.tokenAdmin.signInFirst);
    }
    // A file sent by the Tokens page's script carries its token in a header (the body is the file).
    const token = bodyOf(req)._csrf ?? req.get('x-csrf-token');
    if (req.method !== 'GET' && req.method !== 'HEAD' && !this.csrf.verify(this.access.sessionKey(req), token)) {
      return this.pages.message(res, 403, messages.tokenAdmin.deniedTitle, messages.tokenAdmin.csrfExpired);
    }
    res.locals.selfregUser = user;
    next();
  }
}
