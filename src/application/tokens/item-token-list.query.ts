import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { canHaveTokens, type KnowledgeItem, type KnowledgeRef } from '../../domain/shared/knowledge.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import { TokenCode } from '../../domain/tokens/token-code.js';
import type { TokenStatus } from '../../domain/tokens/token.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { BatchSummary, TokenBatchRepository, TokenBulkRepository } from '../../domain/ports/token-bulk-repository.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import type { TokenCopyStore } from '../../domain/ports/token-copy-store.port.js';
import { denied } from './token-refusals.js';
import type { TokenView, TokenViews } from './token-view.js';

/** Up to this many tokens (and no batch, no filter) an item's panel shows them as cards; beyond, a compact table. */
export const CARDS_UP_TO = 5;
export const ITEM_PAGE_SIZE = 25;

export interface ItemTokenList {
  readonly item: KnowledgeItem;
  readonly tokensAllowed: boolean;
  /** The page of tokens that belong to no batch, newest first. */
  readonly tokens: readonly TokenView[];
  /** Tokens matching the filter, over all pages. */
  readonly total: number;
  readonly page: number;
  readonly pages: number;
  /** Each batch as one line: how its codes stand. */
  readonly batches: readonly BatchSummary[];
  /** Cards for a handful of tokens (which keep their edit forms); a table with paging beyond. */
  readonly compact: boolean;
  /** The filter is offered once there are batches or more than a handful of tokens, or one is applied. */
  readonly filterable: boolean;
  /** Tokens copied from the item this one was cloned from that are still disabled drafts. */
  readonly disabledCopies: number;
}

/** An item's tokens as its Enrolment panel lists them: a page at a time, filtered, batches collapsed. */
export class ItemTokenListQuery {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly catalogue: CataloguePort,
    private readonly bulk: TokenBulkRepository,
    private readonly batches: TokenBatchRepository,
    private readonly views: TokenViews,
    private readonly clock: ClockPort,
    private readonly copies?: TokenCopyStore,
  ) {}

  async execute(actor: HostUser | null, ref: KnowledgeRef, filter: { page?: number; q?: string; status?: TokenStatus } = {}): Promise<Result<ItemTokenList, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.tokensManage, actor)) return denied();
    const item = await this.catalogue.get(ref);
    if (!item) return err(refuse(ErrorCodes.KNOWLEDGE_NOT_FOUND));
    if (!canHaveTokens(item).ok) return ok({ item, tokensAllowed: false, tokens: [], total: 0, page: 1, pages: 1, batches: [], compact: false, filterable: false, disabledCopies: 0 });
    const now = this.clock.now();
    const q = (filter.q ?? '').trim().slice(0, 100);
    const code = q ? TokenCode.fromInput(q) : null;
    const filtered = q !== '' || filter.status !== undefined;
    const page = Math.max(1, Math.min(10_000, Math.floor(filter.page ?? 1)));
    const found = await this.bulk.pageOfItem(ref, {
      now, limit: ITEM_PAGE_SIZE, offset: (page - 1) * ITEM_PAGE_SIZE,
      ...(filter.status && { status: filter.status }), ...(q && { nickname: q, normalisedCode: code?.ok ? code.value.normalised : null }),
    });
    const batches = await this.batches.summariesForItem(ref, now);
    return ok({
      item,
      tokensAllowed: true,
      tokens: await this.views.of(found.tokens),
      total: found.total,
      page,
      pages: Math.max(1, Math.ceil(found.total / ITEM_PAGE_SIZE)),
      batches,
      compact: found.total > CARDS_UP_TO,
      filterable: filtered || batches.length > 0 || found.total > CARDS_UP_TO,
      disabledCopies: this.copies ? (await this.copies.copySummary(ref)).disabledCopies : 0,
    });
  }
}
