import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { LinkViewsPort, ViewCampaign } from '../../../domain/ports/link-views.port.js';
import type { KnowledgeRef } from '../../../domain/shared/knowledge.js';
import type { LoggerPort } from '../../../domain/ports/logger.port.js';
import { TYPES } from '../../../types.js';

/** At most this many distinct (token, day, campaign) counters wait in memory; beyond it a flush is started. */
const MAX_PENDING = 5000;
const ROWS_PER_STATEMENT = 500;

/**
 * Deep-link views counted in memory and written in batches: a view costs a Map update, and every
 * few seconds (the report-counters worker) upserts add each counter to its (token, day, campaign)
 * row and to the portal's totals. Counts that could not be written stay for the next flush.
 */
@injectable()
export class BufferedLinkViews implements LinkViewsPort {
  private pending = new Map<string, number>();
  private flushing: Promise<void> | null = null;

  constructor(
    @inject(TYPES.Database) private readonly knex: Knex,
    @inject(TYPES.Logger) private readonly logger: LoggerPort,
  ) {}

  count(tokenId: string, item: KnowledgeRef, day: string, campaign: ViewCampaign = ['', '', '']): void {
    const key = JSON.stringify([tokenId, item.type, item.id, day, ...campaign]);
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    if (this.pending.size >= MAX_PENDING) void this.flush().catch(() => undefined);
  }

  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.write(batch).finally(() => (this.flushing = null));
    return this.flushing;
  }

  /** Adds the batch to the per-token rows and to the portal's (day, campaign) and (day, item) totals, in one transaction. */
  private async write(batch: Map<string, number>): Promise<void> {
    const rows = [...batch].map(([key, views]) => {
      const [token_id, item_type, item_id, day, utm_source, utm_medium, utm_campaign] = JSON.parse(key) as string[];
      return { token_id: token_id!, item_type: item_type!, item_id: item_id!, day: day!, utm_source: utm_source!, utm_medium: utm_medium!, utm_campaign: utm_campaign!, views };
    });
    const sum = <K extends string>(keyOf: (r: (typeof rows)[number]) => Record<K, string>) => {
      const out = new Map<string, Record<K, string> & { views: number }>();
      for (const r of rows) {
        const k = keyOf(r);
        const id = JSON.stringify(k);
        const had = out.get(id);
        out.set(id, { ...k, views: (had?.views ?? 0) + r.views });
      }
      return [...out.values()];
    };
    const add = (table: string) => this.knex.raw(`${table}.views + excluded.views`);
    try {
      await this.knex.transaction(async (tx) => {
        for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
          const part = rows.slice(i, i + ROWS_PER_STATEMENT).map(({ item_type: _t, item_id: _i, ...r }) => r);
          await tx('selfreg_link_views').insert(part).onConflict(['token_id', 'day', 'utm_source', 'utm_medium', 'utm_campaign']).merge({ views: add('selfreg_link_views') });
        }
        const byCampaign = sum((r) => ({ day: r.day, utm_source: r.utm_source, utm_medium: r.utm_medium, utm_campaign: r.utm_campaign }));
        for (let i = 0; i < byCampaign.length; i += ROWS_PER_STATEMENT) {
          await tx('selfreg_usage_by_campaign').insert(byCampaign.slice(i, i + ROWS_PER_STATEMENT)).onConflict(['day', 'utm_source', 'utm_medium', 'utm_campaign']).merge({ views: add('selfreg_usage_by_campaign') });
        }
        const byItem = sum((r) => ({ day: r.day, item_type: r.item_type, item_id: r.item_id }));
        for (let i = 0; i < byItem.length; i += ROWS_PER_STATEMENT) {
          await tx('selfreg_usage_by_item').insert(byItem.slice(i, i + ROWS_PER_STATEMENT)).onConflict(['day', 'item_type', 'item_id']).merge({ views: add('selfreg_usage_by_item') });
        }
      });
    } catch (e) {
      this.logger.warn('Could not write deep-link view counts; they are kept for the next try', { error: e instanceof Error ? e.message : String(e) });
      for (const [key, n] of batch) this.pending.set(key, (this.pending.get(key) ?? 0) + n);
      throw e;
    }
  }
}
