/* The catalogue port over sandbox_items: topics, articles and pathways with their learner URLs. */
import type { CataloguePort } from '../../src/contract/index.js';
import { isKnowledgeType } from '../knowledge.js';
import type { HostContext } from './host-context.js';
import { getItem } from './lookups.js';
import { parseId, toKnowledgeItem } from './records.js';
import type { ItemRow } from './records.js';

export function createCataloguePort(ctx: HostContext): CataloguePort {
  return {
    async get(ref, tx) {
      const row = await getItem(ctx, ref, tx);
      return row ? toKnowledgeItem(row) : null;
    },
    /** Optional (1.1): a page of items in one query. */
    async getMany(refs, tx) {
      const wanted = refs.filter((r) => isKnowledgeType(r.type) && parseId(r.id) !== null);
      if (wanted.length === 0) return [];
      const rows = await ctx.db(tx)<ItemRow>('sandbox_items').whereIn(['id', 'type'], wanted.map((r) => [parseId(r.id)!, r.type]));
      return rows.map(toKnowledgeItem);
    },
    async list(filter) {
      const query = ctx.knex<ItemRow>('sandbox_items').orderBy('id');
      if (filter?.type) query.where({ type: filter.type });
      return (await query).map(toKnowledgeItem);
    },
    /** The item's Reports tab: who is enrolled and how they are doing. */
    async reportUrl(ref) {
      return isKnowledgeType(ref.type) && parseId(ref.id) !== null ? `/admin/items/${ref.type}/${ref.id}/reports` : null;
    },
  };
}
