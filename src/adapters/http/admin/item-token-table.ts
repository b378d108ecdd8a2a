import { inject, injectable } from 'inversify';
import { TOKEN_STATUSES, type TokenStatus } from '../../../domain/tokens/token.js';
import type { ItemTokenList } from '../../../application/tokens/item-token-list.query.js';
import { messages } from '../shared/messages.js';
import { AdminPaths } from './admin-paths.js';
import { formatDate, formatDateTime, formatExpiryDay } from './portal-time-format.js';

/** The query parameters of an item's token list (on the host's item page): not `selfreg…`, so a form's redirect keeps them. */
export const LIST_PARAMS = { q: 'tokens_q', status: 'tokens_status', page: 'tokens_page' } as const;

export interface ListFilter {
  readonly q?: string;
  readonly status?: TokenStatus;
  readonly page?: number;
}

export function listFilter(query: Record<string, unknown>): ListFilter {
  const q = typeof query[LIST_PARAMS.q] === 'string' ? (query[LIST_PARAMS.q] as string).trim().slice(0, 100) : '';
  const status = query[LIST_PARAMS.status];
  const page = Number(query[LIST_PARAMS.page]);
  return {
    ...(q && { q }),
    ...(typeof status === 'string' && (TOKEN_STATUSES as readonly string[]).includes(status) && { status: status as TokenStatus }),
    ...(Number.isInteger(page) && page > 1 && { page }),
  };
}

/** What the Enrolment panel's compact list prints: the filter, the pager, and each batch as one row. */
@injectable()
export class ItemTokenTable {
  constructor(@inject(AdminPaths) private readonly paths: AdminPaths) {}

  view(list: ItemTokenList, filter: ListFilter, returnTo: string, timeZone: string) {
    const ta = messages.tokenAdmin;
    const here = new URL(returnTo, 'http://local.invalid');
    const pageUrl = (page: number): string => {
      const url = new URL(here.href);
      if (page > 1) url.searchParams.set(LIST_PARAMS.page, String(page));
      else url.searchParams.delete(LIST_PARAMS.page);
      return `${url.pathname}${url.search}#selfreg-tokens`;
    };
    const kept = [...here.searchParams.entries()].filter(([k]) => !Object.values(LIST_PARAMS).includes(k as never));
    return {
      compact: list.compact,
      filterable: list.filterable,
      total: list.total,
      codes: list.total + list.batches.reduce((n, b) => n + b.remaining, 0),
      filter: { q: filter.q ?? '', status: filter.status ?? '', action: `${here.pathname}#selfreg-tokens`, kept, names: LIST_PARAMS },
      statuses: TOKEN_STATUSES.map((s) => ({ value: s, label: ta.status[s] })),
      pager: {
        label: ta.batch.pageOf(list.page, list.pages),
        prev: list.page > 1 ? pageUrl(list.page - 1) : null,
        next: list.page < list.pages ? pageUrl(list.page + 1) : null,
      },
      filtered: filter.q !== undefined || filter.status !== undefined,
      batches: list.batches.map((b) => {
        const base = this.paths.tokenBatch(b.id);
        return {
          id: b.id,
          name: b.nickname ?? ta.batch.unnamed,
          summary: ta.batch.summary(b.remaining, b.uses, b.enabled),
          expires: b.expiresAt ? ta.expiresEnd(formatExpiryDay(b.expiresAt, timeZone)) : ta.never,
          maxUses: b.maxUses === null ? ta.batch.unlimited : ta.batch.usesEach(b.maxUses),
          lastUsed: b.lastUsedAt ? formatDateTime(b.lastUsedAt, timeZone) : ta.never,
          created: ta.createdBy(formatDate(b.createdAt, timeZone), b.createdByName),
          csv: `${base}/codes.csv`,
          sheet: `${base}/sheet`,
          allOff: b.enabled === 0,
          toggleAction: `${base}/${b.enabled === 0 ? 'enable' : 'disable'}`,
          deleteAction: `${base}/delete`,
          deleteConfirm: ta.batch.deleteConfirm(b.remaining),
        };
      }),
    };
  }
}
