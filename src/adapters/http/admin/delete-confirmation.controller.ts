import type { Request, Response, Router } from 'express';
import { inject, injectable } from 'inversify';
import type { AccessControlPort } from '../../../contract/index.js';
import { ErrorCodes } from '../../../domain/shared/errors.js';
import { knowledgeTypeLabel } from '../../../domain/shared/knowledge.js';
import type { PortalFacts } from '../../../domain/ports/portal-facts.port.js';
import type { GetTokenQuery } from '../../../application/tokens/get-token.query.js';
import type { ListTokenRegistrationsQuery } from '../../../application/tokens/list-token-registrations.query.js';
import type { CsrfTokens } from '../../crypto/crypto.adapters.js';
import { TYPES } from '../../../types.js';
import type { RouteContribution } from '../shared/route-contribution.js';
import { errorMessage, messages } from '../shared/messages.js';
import { safeLocalPath } from '../shared/validation.js';
import { AdminPages } from './admin-pages.js';
import { AdminPaths } from './admin-paths.js';
import { userOf } from './admin-request.js';
import { TokenRows } from './token-rows.js';

/**
 * The page that asks before a token is deleted (`GET /tokens/:id/delete`): what it is, how many
 * registered with it, that it cannot be undone. Its form posts to the Enrolment panel's delete endpoint.
 */
@injectable()
export class DeleteConfirmationController implements RouteContribution {
  readonly route = 'admin';

  constructor(
    @inject(TYPES.Access) private readonly access: AccessControlPort,
    @inject(TYPES.Csrf) private readonly csrf: CsrfTokens,
    @inject(TYPES.PortalFacts) private readonly portal: PortalFacts,
    @inject(TYPES.GetTokenQuery) private readonly getToken: GetTokenQuery,
    @inject(TYPES.ListTokenRegistrationsQuery) private readonly registrations: ListTokenRegistrationsQuery,
    @inject(AdminPages) private readonly pages: AdminPages,
    @inject(AdminPaths) private readonly paths: AdminPaths,
    @inject(TokenRows) private readonly rows: TokenRows,
  ) {}

  contribute(router: Router): void {
    router.get(this.paths.tokenPattern('/delete'), (req, res) => this.show(req, res));
  }

  private async show(req: Request, res: Response): Promise<void> {
    const found = await this.getToken.execute(userOf(res), String(req.params.id));
    if (!found.ok) return this.pages.message(res, found.error.code === ErrorCodes.TOKEN_NOT_FOUND ? 404 : 403, messages.tokenAdmin.notFoundTitle, errorMessage(found.error.code));
    const token = found.value;
    const returnTo = safeLocalPath(req.query.returnTo, this.paths.tokens);
    const registrations = await this.registrations.execute(userOf(res), token.id, { limit: 1 });
    const { publicBaseUrl, timeZone } = await this.portal.info();
    await this.pages.page(res, 200, 'admin/delete-token', messages.tokenAdmin.deleteTitle, {
      token: this.rows.row(token, publicBaseUrl, timeZone, returnTo),
      item: token.itemInfo ? { title: token.itemInfo.title, type: knowledgeTypeLabel(token.item.type) } : null,
      registrations: registrations.ok ? registrations.value.total : 0,
      action: `${this.paths.token(token.id)}/delete`,
      returnTo,
      cancelUrl: `${returnTo}#self-registration`,
      csrf: this.csrf.issue(this.access.sessionKey(req)),
    });
  }
}
