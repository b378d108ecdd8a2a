import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { LinkViewsPort, ViewCampaign } from '../../../domain/ports/link-views.port.js';
import type { LoggerPort } from '../../../domain/ports/logger.port.js';
import { TYPES, type LifecycleContribution } from '../../../types.js';

/** At most this many distinct (token, day, campaign) counters wait in memory; beyond it a flush is started. */
const MAX_PENDING = 5000;
const ROWS_PER_STATEMENT = 500;

/**
 * Deep-link views counted in memory and written in batches: a view costs a Map update, and every
 * few seconds one upsert adds each counter to its (token, day, campaign) row. Counts that could not
 * be written stay for the next flush; stop() writes what is left.
 */
@injectable()
export class BufferedLinkViews implements LinkViewsPort, LifecycleContribution {
  flushEveryMs = 5000;
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    @inject(TYPES.Database) private readonly knex: Knex,
    @inject(TYPES.Logger) private readonly logger: LoggerPort,
  ) {}

  count(tokenId: string, day: string, campaign: ViewCampaign = ['', '', '']): void {
    const key = JSON.stringify([tokenId, day, ...campaign]);
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

  private async write(batch: Map<string, number>): Promise<void> {
    const rows = [...batch].map(([key, views]) => {
      const [token_id, day, utm_source, utm_medium, utm_campaign] = JSON.parse(key) as string[];
      return { token_id, day, utm_source, utm_medium, utm_campaign, views };
    });
    try {
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        await this.knex('selfreg_link_views')
          .insert(rows.slice(i, i + ROWS_PER_STATEMENT))
          .onConflict(['token_id', 'day', 'utm_source', 'utm_medium', 'utm_campaign'])
          .merge({ views: this.knex.raw('selfreg_link_views.views + excluded.views') });
        for (const r of rows.slice(i, i + ROWS_PER_STATEMENT)) batch.delete(JSON.stringify([r.token_id, r.day, r.utm_source, r.utm_medium, r.utm_campaign]));
      }
    } catch (e) {
      this.logger.warn('Could not write deep-link view counts; they are kept for the next try', { error: e instanceof Error ? e.message : String(e) });
      for (const [key, n] of batch) this.pending.set(key, (this.pending.get(key) ?? 0) + n);
      throw e;
    }
  }

  start(): void {
    this.stopTimer();
    this.timer = setInterval(() => void this.flush().catch(() => undefined), this.flushEveryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopTimer();
    await this.flush().catch(() => undefined);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
