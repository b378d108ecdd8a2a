/* Which item a URL names, and whether a person may open it. */
import type { Knex } from 'knex';
import type { HostUser } from '../../src/contract/index.js';
import { isKnowledgeType } from '../knowledge.js';
import { isAdmin, parseId } from '../host/records.js';
import type { ItemRow } from '../host/records.js';

export async function loadItem(knex: Knex, typeParam: unknown, idParam: unknown): Promise<ItemRow | null> {
  if (!isKnowledgeType(typeParam) || typeof idParam !== 'string') return null;
  const id = parseId(idParam);
  if (id === null) return null;
  return (await knex<ItemRow>('sandbox_items').where({ id, type: typeParam }).first()) ?? null;
}

/** Admins open everything; learners what they are enrolled in, and the topics of their pathways. */
export async function canOpen(knex: Knex, user: HostUser, item: ItemRow): Promise<boolean> {
  if (isAdmin(user)) return true;
  const userId = Number(user.id);
  const direct = await knex('sandbox_enrolments').where({ user_id: userId, item_type: item.type, item_id: String(item.id) }).first('id');
  if (direct) return true;
  if (item.type !== 'topic') return false;
  // A topic is open to learners enrolled in a pathway that holds it.
  const viaPathway = await knex('sandbox_enrolments as e')
    .join('sandbox_pathway_topics as pt', knex.raw('pt.pathway_id::text = e.item_id'))
    .where({ 'e.user_id': userId, 'e.item_type': 'pathway', 'pt.topic_id': item.id })
    .first('e.id');
  return !!viaPathway;
}
