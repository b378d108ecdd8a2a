import type { Refusal } from '../../domain/shared/errors.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { TokenAdminRepository } from '../../domain/ports/token-admin-repository.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import { denied, notFound } from './token-refusals.js';
import type { TokenViews, TokenWithItem } from './token-view.js';

/** One token with its item as the host knows it now. */
export class GetTokenQuery {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly tokens: TokenAdminRepository,
    private readonly catalogue: CataloguePort,
    private readonly views: TokenViews,
  ) {}

  async execute(actor: HostUser | null, id: string): Promise<Result<TokenWithItem, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.tokensManage, actor)) return denied();
    const token = await this.tokens.findById(id);
    if (!token) return notFound();
    return ok({ ...(await this.views.one(token)), itemInfo: await this.catalogue.get(token.item) });
  }
}
