/*
 * The catalogue port over sandbox_items: topics, articles and pathways with their learner URLs and
 * (1.1) the user types each is opened to for self-enrolment.
 */
import type { Knex } from 'knex';
import type { CataloguePort } from '../../src/contract/index.js';
import { isKnowledgeType } from '../knowledge.js';
import type { HostContext } from './host-context.js';
import { parseId, toKnowledgeItem } from './records.js';
import type { ItemWithOpenTo } from './records.js';

/** Items with their self-enrolment settings joined in (`open_to` as JSON). */
export function itemsWithOpenTo(db: Knex): Knex.QueryBuilder {
  return db('sandbox_items as i')
    .leftJoin('sandbox_self_enrolment as se', 'se.item_id', 'i.id')
    .select('i.*', db.raw('array_to_json(se.open_to) as open_to'));
}

export function createCataloguePort(ctx: HostContext): CataloguePort {
  return {
    async get(ref, tx) {
      const n = parseId(ref.id);
      if (n === null || !isKnowledgeType(ref.type)) return null;
      const row = (await itemsWithOpenTo(ctx.db(tx)).where({ 'i.id': n, 'i.type': ref.type }).first()) as ItemWithOpenTo | undefined;
      return row ? toKnowledgeItem(row) : null;
    },
    /** Optional (1.1): a page of items in one query. */
    async getMany(refs, tx) {
      const wanted = refs.filter((r) => isKnowledgeType(r.type) && parseId(r.id) !== null);
      if (wanted.length === 0) return [];
      const rows = (await itemsWithOpenTo(ctx.db(tx)).whereIn(['i.id', 'i.type'], wanted.map((r) => [parseId(r.id)!, r.type]))) as ItemWithOpenTo[];
      return rows.map(toKnowledgeItem);
    },
    async list(filter) {
      const query = itemsWithOpenTo(ctx.knex).orderBy('i.id');
      if (filter?.type) query.where({ 'i.type': filter.type });
      return ((await query) as ItemWithOpenTo[]).map(toKnowledgeItem);
    },
    /** The item's Reports tab: who is enrolled and how they are doing. */
    async reportUrl(ref) {
      return isKnowledgeType(ref.type) && parseId(ref.id) !== null ? `/admin/items/${ref.type}/${ref.id}/reports` : null;
    },
  };
}
