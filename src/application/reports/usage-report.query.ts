import type { Refusal } from '../../domain/shared/errors.js';
import { ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import { conversionOf, type Conversion, type UsageCounts } from '../../domain/reports/usage.js';
import type { CampaignUsage, ItemUsage, TokenUsage, UsageRange, UsageReportPort } from '../../domain/ports/usage-report.port.js';
import { nextBefore, pageSize } from '../tokens/page-size.js';
import type { ReportAccess, ReportRequest } from './report-access.js';

/** At most this many items and campaigns are listed (most registrations first). */
export const USAGE_GROUPS_LIMIT = 100;

export type WithConversion<T> = T & { readonly conversion: Conversion };

export interface UsageReport extends ReportRequest {
  readonly range: UsageRange;
  readonly totals: WithConversion<UsageCounts>;
  readonly tokens: readonly WithConversion<TokenUsage>[];
  readonly nextBeforeId: string | null;
  readonly items: readonly WithConversion<ItemUsage>[];
  readonly campaigns: readonly WithConversion<CampaignUsage>[];
}

const withConversion = <T extends UsageCounts>(u: T): WithConversion<T> => ({ ...u, conversion: conversionOf(u) });

/** The range and item of a usage request, as the registrations filter checked them. */
export const usageRange = (r: ReportRequest): UsageRange => ({
  ...(r.filter.from && { from: r.filter.from }),
  ...(r.filter.to && { to: r.filter.to }),
  ...(r.checked.fromDay && { fromDay: r.checked.fromDay }),
  ...(r.checked.toDay && { toDay: r.checked.toDay }),
  ...(r.filter.item && { item: r.filter.item }),
});

/**
 * Token usage across the portal (or one item): deep-link views, registrations by new and existing
 * accounts, activated, started, completed and the conversion between each step — per token (a page),
 * per item and per campaign, with the totals, in a date range.
 */
export class UsageReportQuery {
  constructor(
    private readonly access: ReportAccess,
    private readonly store: UsageReportPort,
    private readonly catchUp: { execute(): Promise<number> },
  ) {}

  async execute(actor: HostUser | null, raw: { item?: unknown; from?: unknown; to?: unknown }, page: { limit?: number; beforeId?: string } = {}): Promise<Result<UsageReport, Refusal>> {
    const opened = await this.access.open(actor, { item: raw.item, from: raw.from, to: raw.to });
    if (!opened.ok) return opened;
    // What this instance counted and what was registered since the last fold belong in the figures.
    await this.catchUp.execute();
    const range = usageRange(opened.value);
    const [tokens, totals, items, campaigns] = await Promise.all([
      this.store.tokens(range, { limit: pageSize(page.limit), ...(page.beforeId && { beforeId: page.beforeId }) }),
      this.store.totals(range),
      this.store.items(range, USAGE_GROUPS_LIMIT),
      this.store.campaigns(range, USAGE_GROUPS_LIMIT),
    ]);
    const rows = tokens.rows.map(withConversion);
    return ok({
      ...opened.value,
      range,
      totals: withConversion(totals),
      tokens: rows,
      nextBeforeId: nextBefore(rows.map((r) => ({ id: r.tokenId })), tokens.hasMore),
      items: items.map(withConversion),
      campaigns: campaigns.map(withConversion),
    });
  }
}
