import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { canHaveTokens, type KnowledgeItem, type KnowledgeRef } from '../../domain/shared/knowledge.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { TokenAdminRepository } from '../../domain/ports/token-admin-repository.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import { denied } from './token-refusals.js';
import type { TokenView, TokenViews } from './token-view.js';

export interface ItemTokens {
  readonly item: KnowledgeItem;
  /** False for library content: the panel explains instead of listing. */
  readonly tokensAllowed: boolean;
  readonly tokens: readonly TokenView[];
}

/** An item's tokens, newest first (what its Enrolment panel lists). */
export class ItemTokensQuery {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly catalogue: CataloguePort,
    private readonly tokens: TokenAdminRepository,
    private readonly views: TokenViews,
  ) {}

  async execute(actor: HostUser | null, ref: KnowledgeRef): Promise<Result<ItemTokens, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.tokensManage, actor)) return denied();
    const item = await this.catalogue.get(ref);
    if (!item) return err(refuse(ErrorCodes.KNOWLEDGE_NOT_FOUND));
    if (!canHaveTokens(item).ok) return ok({ item, tokensAllowed: false, tokens: [] });
    // Newest first: the token just made is on top.
    const tokens = await this.views.of([...(await this.tokens.listForItem(ref))].reverse());
    return ok({ item, tokensAllowed: true, tokens });
  }
}
