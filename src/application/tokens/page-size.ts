/** Pages of the token lists and the audit log: newest first, keyset-paged. */
export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/** 1–100; the default when absent or not a whole number. */
export const pageSize = (limit: number | undefined): number =>
  limit === undefined || !Number.isInteger(limit) ? DEFAULT_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, Math.max(1, limit));

/** Where the next page starts: the last id of this one, or null on the last page. */
export const nextBefore = (rows: readonly { readonly id: string }[], hasMore: boolean): string | null =>
  hasMore && rows.length > 0 ? rows[rows.length - 1]!.id : null;
