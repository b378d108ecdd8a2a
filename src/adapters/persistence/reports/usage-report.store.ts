import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { KnowledgeRef } from '../../../domain/shared/knowledge.js';
import { ZERO_USAGE, type UsageCounts } from '../../../domain/reports/usage.js';
import type { CampaignUsage, ItemUsage, TokenUsage, UsageRange, UsageReportPort } from '../../../domain/ports/usage-report.port.js';
import { TYPES } from '../../../types.js';
import { idString } from '../../shared/knex-helpers.js';
import { REGISTRATIONS, whereScope } from './report-sql.js';

const ID_RE = /^\d{1,18}$/;

/** The funnel's counts of a set of registrations: one pass, no join (every step is on the row). */
const COUNTS = `count(*) as registrations,
  count(*) filter (where r.new_user) as new_accounts,
  count(*) filter (where not r.new_user) as existing_accounts,
  count(r.activated_at) as activated,
  count(r.started_at) as started,
  count(r.completed_at) as completed`;

/** The same counts summed over a rollup table's days. */
const ROLLUP_SUMS = ['views', 'registrations', 'new_accounts', 'existing_accounts', 'activated', 'started', 'completed'].map((c) => `sum(u.${c}) as ${c}`).join(', ');

type CountRow = { registrations?: unknown; new_accounts?: unknown; existing_accounts?: unknown; activated?: unknown; started?: unknown; completed?: unknown; views?: unknown };

const countsOf = (r: CountRow | undefined): UsageCounts => ({
  views: Number(r?.views ?? 0),
  registrations: Number(r?.registrations ?? 0),
  newAccounts: Number(r?.new_accounts ?? 0),
  existingAccounts: Number(r?.existing_accounts ?? 0),
  activated: Number(r?.activated ?? 0),
  started: Number(r?.started ?? 0),
  completed: Number(r?.completed ?? 0),
});

/**
 * Token usage on the plugin's tables. A page of tokens is found first (newest first, by the tokens'
 * primary key), then each token's registrations through the (token_id, id) index and its views
 * through the views' primary key: the cost follows the page, not the portal. The portal's totals,
 * items and campaigns are sums over the daily rollups (a few thousand rows, whatever the number of
 * registrations); one item's campaigns are read from that item's registrations.
 */
@injectable()
export class KnexUsageReport implements UsageReportPort {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  private views(range: UsageRange): Knex.QueryBuilder {
    const q = this.knex({ v: 'selfreg_link_views' });
    if (range.fromDay) q.where('v.day', '>=', range.fromDay);
    if (range.toDay) q.where('v.day', '<=', range.toDay);
    return q;
  }

  private tokenQuery(range: UsageRange, page?: { limit: number; beforeId?: string }): Knex.QueryBuilder {
    const k = this.knex;
    const t = k({ t: 'selfreg_tokens' }).select('t.id', 't.nickname', 't.item_type', 't.item_id').orderBy('t.id', 'desc');
    if (range.item) t.where({ 't.item_type': range.item.type, 't.item_id': range.item.id });
    if (page?.beforeId && ID_RE.test(page.beforeId)) t.where('t.id', '<', page.beforeId);
    if (page) t.limit(page.limit + 1);
    const regs = whereScope(k({ r: REGISTRATIONS }).select(k.raw(COUNTS)).whereRaw('r.token_id = t.id'), { ...(range.from && { from: range.from }), ...(range.to && { to: range.to }) });
    const views = this.views(range).sum({ views: 'v.views' }).whereRaw('v.token_id = t.id');
    return k
      .with('t', t)
      .select('t.*', 'g.*', 'w.views')
      .from('t')
      .joinRaw(`cross join lateral (${regs.toQuery()}) g`)
      .joinRaw(`cross join lateral (${views.toQuery()}) w`)
      .orderBy('t.id', 'desc');
  }

  private tokenRow = (r: CountRow & { id: unknown; nickname: string | null; item_type: string; item_id: string }): TokenUsage => ({
    tokenId: idString(r.id),
    tokenNickname: r.nickname,
    item: { type: r.item_type as KnowledgeRef['type'], id: r.item_id },
    ...countsOf(r),
  });

  async tokens(range: UsageRange, page: { limit: number; beforeId?: string }): Promise<{ rows: TokenUsage[]; hasMore: boolean }> {
    const rows = (await this.tokenQuery(range, page)) as Parameters<KnexUsageReport['tokenRow']>[0][];
    return { rows: rows.slice(0, page.limit).map(this.tokenRow), hasMore: rows.length > page.limit };
  }

  async *streamTokens(range: UsageRange): AsyncIterable<TokenUsage> {
    let before: string | undefined;
    for (;;) {
      const { rows, hasMore } = await this.tokens(range, { limit: 500, ...(before && { beforeId: before }) });
      for (const r of rows) yield r;
      if (!hasMore) return;
      before = rows[rows.length - 1]!.tokenId;
    }
  }

  /** A rollup table's rows in the range (local days). */
  private days(table: string, range: UsageRange): Knex.QueryBuilder {
    const q = this.knex({ u: table });
    if (range.fromDay) q.where('u.day', '>=', range.fromDay);
    if (range.toDay) q.where('u.day', '<=', range.toDay);
    return q;
  }

  private rollupSums(): Knex.Raw {
    return this.knex.raw(ROLLUP_SUMS);
  }

  async items(range: UsageRange, limit: number): Promise<ItemUsage[]> {
    const q = this.days('selfreg_usage_by_item', range).select('u.item_type', 'u.item_id', this.rollupSums()).groupBy('u.item_type', 'u.item_id');
    if (range.item) q.where({ 'u.item_type': range.item.type, 'u.item_id': range.item.id });
    const rows = (await q.orderByRaw('sum(u.registrations) desc, sum(u.views) desc').limit(limit)) as (CountRow & { item_type: string; item_id: string })[];
    return rows.map((r) => ({ item: { type: r.item_type as KnowledgeRef['type'], id: r.item_id }, ...countsOf(r) }));
  }

  async campaigns(range: UsageRange, limit: number): Promise<CampaignUsage[]> {
    const blank = (v: string): string | null => (v === '' ? null : v);
    if (!range.item) {
      const rows = (await this.days('selfreg_usage_by_campaign', range)
        .select({ s: 'u.utm_source', m: 'u.utm_medium', c: 'u.utm_campaign' }, this.rollupSums())
        .groupBy('u.utm_source', 'u.utm_medium', 'u.utm_campaign')
        .orderByRaw('sum(u.registrations) desc, sum(u.views) desc')
        .limit(limit)) as (CountRow & { s: string; m: string; c: string })[];
      return rows.map((r) => ({ source: blank(r.s), medium: blank(r.m), campaign: blank(r.c), ...countsOf(r) }));
    }
    // One item: its own registrations (its index) and its tokens' views.
    const k = this.knex;
    const regs = whereScope(k({ r: REGISTRATIONS }).select(k.raw(`coalesce(r.utm_source, '') as s, coalesce(r.utm_medium, '') as m, coalesce(r.utm_campaign, '') as c`), k.raw(COUNTS)), range).groupByRaw('1, 2, 3');
    const views = this.views(range).join({ t: 'selfreg_tokens' }, 't.id', 'v.token_id').where({ 't.item_type': range.item.type, 't.item_id': range.item.id })
      .select({ s: 'v.utm_source', m: 'v.utm_medium', c: 'v.utm_campaign' }).sum({ views: 'v.views' }).groupByRaw('1, 2, 3');
    const rows = await k
      .with('g', regs)
      .with('w', views)
      .select(k.raw('coalesce(g.s, w.s) as s, coalesce(g.m, w.m) as m, coalesce(g.c, w.c) as c'), 'g.registrations', 'g.new_accounts', 'g.existing_accounts', 'g.activated', 'g.started', 'g.completed', 'w.views')
      .from('g')
      .fullOuterJoin('w', function () {
        this.on('w.s', 'g.s').andOn('w.m', 'g.m').andOn('w.c', 'g.c');
      })
      .orderByRaw('coalesce(g.registrations, 0) desc, coalesce(w.views, 0) desc')
      .limit(limit);
    return (rows as (CountRow & { s: string; m: string; c: string })[]).map((r) => ({ source: blank(r.s), medium: blank(r.m), campaign: blank(r.c), ...countsOf(r) }));
  }

  async totals(range: UsageRange): Promise<UsageCounts> {
    const q = range.item
      ? this.days('selfreg_usage_by_item', range).where({ 'u.item_type': range.item.type, 'u.item_id': range.item.id })
      : this.days('selfreg_usage_by_campaign', range);
    const [row] = (await q.select(this.rollupSums())) as CountRow[];
    return { ...ZERO_USAGE, ...countsOf(row) };
  }
}
