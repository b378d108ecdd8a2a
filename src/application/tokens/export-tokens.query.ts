import type { Refusal } from '../../domain/shared/errors.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import { MAX_PAGE_SIZE } from './page-size.js';
import type { ListTokensQuery, TokenSearchInput } from './list-tokens.query.js';
import { denied } from './token-refusals.js';
import type { TokenWithItem } from './token-view.js';

/**
 * Every token the Tokens page's filters match, page after page (newest first), for its CSV export:
 * the same search as the page, so the file holds exactly what the page lists, never all at once.
 */
export class ExportTokensQuery {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly list: ListTokensQuery,
  ) {}

  execute(actor: HostUser | null, filters: Omit<TokenSearchInput, 'limit' | 'beforeId'>): Result<() => AsyncIterable<readonly TokenWithItem[]>, Refusal> {
    if (!this.permissions.allows(PERMISSION_IDS.tokensManage, actor)) return denied();
    const list = this.list;
    return ok(async function* pages() {
      for (let beforeId: string | undefined; ;) {
        const page = await list.execute(actor, { ...filters, limit: MAX_PAGE_SIZE, ...(beforeId && { beforeId }) });
        if (!page.ok) return;
        yield page.value.tokens;
        if (!page.value.nextBeforeId) return;
        beforeId = page.value.nextBeforeId;
      }
    });
  }
}
