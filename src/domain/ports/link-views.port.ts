import type { KnowledgeRef } from '../shared/knowledge.js';

/** A campaign as views are counted by it: source, medium and campaign ('' for one not given). */
export type ViewCampaign = readonly [source: string, medium: string, campaign: string];

/** Deep-link views, counted per token (and its item), local day in the portal's time zone, and campaign. */
export interface LinkViewsPort {
  /** Counts one view; cheap (no statement per view: counts are written in batches). */
  count(tokenId: string, item: KnowledgeRef, day: string, campaign?: ViewCampaign): void;
  /** Writes the counts waiting so far, so a report read next includes them. */
  flush(): Promise<void>;
}
