import type { Refusal } from '../../domain/shared/errors.js';
import type { KnowledgeRef, KnowledgeType } from '../../domain/shared/knowledge.js';
import { ok, type Result } from '../../domain/shared/result.js';
import { TokenCode } from '../../domain/tokens/token-code.js';
import type { TokenStatus } from '../../domain/tokens/token.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { TokenAdminRepository, TokenTextSearch } from '../../domain/ports/token-admin-repository.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import { itemsByRef, refKey } from '../shared/batch-lookups.js';
import { nextBefore, pageSize } from './page-size.js';
import { denied } from './token-refusals.js';
import type { TokenViews, TokenWithItem } from './token-view.js';

export interface TokenSearchInput {
  /** Free text: nickname, the whole code (any spelling), or an item's title. */
  readonly q?: string;
  readonly status?: TokenStatus;
  readonly itemType?: KnowledgeType;
  readonly item?: KnowledgeRef;
  /** 1–100; default 25. */
  readonly limit?: number;
  /** Continue after this token id (from `nextBeforeId`). */
  readonly beforeId?: string;
}

export interface TokenSearchResult {
  readonly tokens: readonly TokenWithItem[];
  readonly total: number;
  /** Pass as `beforeId` for the next page; null on the last page. */
  readonly nextBeforeId: string | null;
}

const MAX_TITLE_MATCHES = 1000;

/** The portal-wide list (the Tokens page, `GET /tokens`): every token across items, filtered and searched, newest first. */
export class ListTokensQuery {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly tokens: TokenAdminRepository,
    private readonly catalogue: CataloguePort,
    private readonly clock: ClockPort,
    private readonly views: TokenViews,
  ) {}

  async execute(actor: HostUser | null, input: TokenSearchInput): Promise<Result<TokenSearchResult, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.tokensManage, actor)) return denied();
    const q = (input.q ?? '').trim().slice(0, 100);
    const text = q === '' ? undefined : await this.textSearch(q, input.itemType);
    const page = await this.tokens.search({
      now: this.clock.now(),
      limit: pageSize(input.limit),
      ...(input.item && { item: input.item }),
      ...(input.itemType && { itemType: input.itemType }),
      ...(input.status && { status: input.status }),
      ...(text && { text }),
      ...(input.beforeId && { beforeId: input.beforeId }),
    });
    const views = await this.views.of(page.tokens);
    const items = await itemsByRef(this.catalogue, views.map((t) => t.item));
    return ok({
      tokens: views.map((t) => ({ ...t, itemInfo: items.get(refKey(t.item)) ?? null })),
      total: page.total,
      nextBeforeId: nextBefore(page.tokens, page.hasMore),
    });
  }

  /** The query read as a nickname, as a whole code, and as the titles of the items it matches. */
  private async textSearch(q: string, itemType: KnowledgeType | undefined): Promise<TokenTextSearch> {
    const code = TokenCode.fromInput(q);
    const needle = q.toLocaleLowerCase();
    const items = (await this.catalogue.list(itemType ? { type: itemType } : undefined))
      .filter((i) => i.title.toLocaleLowerCase().includes(needle))
      .slice(0, MAX_TITLE_MATCHES)
      .map((i) => i.ref);
    return { nickname: q, normalisedCode: code.ok ? code.value.normalised : null, items };
  }

}
