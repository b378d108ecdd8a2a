import type { KnowledgeRef } from '../shared/knowledge.js';
import type { UsageCounts } from '../reports/usage.js';

export interface UsageRange {
  readonly from?: Date;
  readonly to?: Date;
  /** The same range as local days (views are counted per local day). */
  readonly fromDay?: string;
  readonly toDay?: string;
  readonly item?: KnowledgeRef;
}

export interface TokenUsage extends UsageCounts {
  readonly tokenId: string;
  readonly tokenNickname: string | null;
  readonly item: KnowledgeRef;
}

export interface ItemUsage extends UsageCounts {
  readonly item: KnowledgeRef;
}

export interface CampaignUsage extends UsageCounts {
  readonly source: string | null;
  readonly medium: string | null;
  readonly campaign: string | null;
}

/** Token usage read from storage. */
export interface UsageReportPort {
  /** One page of tokens (newest first), each with its counts in the range. */
  tokens(range: UsageRange, page: { readonly limit: number; readonly beforeId?: string }): Promise<{ rows: TokenUsage[]; hasMore: boolean }>;
  /** Every token's counts, newest token first, read as consumed (exports). */
  streamTokens(range: UsageRange): AsyncIterable<TokenUsage>;
  /** Per item, most registrations first (at most `limit`). */
  items(range: UsageRange, limit: number): Promise<ItemUsage[]>;
  /** Per campaign (source, medium, campaign), most registrations first (at most `limit`). */
  campaigns(range: UsageRange, limit: number): Promise<CampaignUsage[]>;
  totals(range: UsageRange): Promise<UsageCounts>;
}
