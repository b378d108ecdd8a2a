/*
 * Changes the sandbox makes on its own (its admin pages, and tests) that raise host events:
 * item.cloned, item.deleted, user.updated, user.deleted, enrolment.deleted.
 */
import { USER_TYPES } from '../../src/contract/index.js';
import type { HostUser, KnowledgeRef } from '../../src/contract/index.js';
import { sourceOf } from './enrolment-sources.js';
import type { HostContext } from './host-context.js';
import { copyContent } from './item-content.js';
import { findUser, getItem } from './lookups.js';
import { parseId, toHostUser } from './records.js';
import type { ItemRow, UserRow } from './records.js';

export interface SandboxAdmin {
  cloneItem(ref: KnowledgeRef): Promise<KnowledgeRef | null>;
  deleteItem(ref: KnowledgeRef): Promise<boolean>;
  updateUser(userId: string, patch: Partial<Pick<HostUser, 'email' | 'firstName' | 'lastName' | 'type' | 'role' | 'status'>>): Promise<HostUser | null>;
  deleteUser(userId: string): Promise<boolean>;
  /** An admin removes an enrolment: `enrolment.deleted` (removedBy `admin`) once it committed. False when there was none. */
  removeEnrolment(userId: string, item: KnowledgeRef): Promise<boolean>;
}

export function createSandboxAdmin(ctx: HostContext): SandboxAdmin {
  const { knex, events } = ctx;
  return {
    async cloneItem(ref) {
      let clone: KnowledgeRef | null = null;
      await knex.transaction(async (trx) => {
        const source = await getItem(ctx, ref, trx);
        if (!source) return;
        const [row] = await trx<ItemRow>('sandbox_items')
          .insert({ type: source.type, title: `${source.title} (copy)`, body: source.body, origin: source.origin, created_at: ctx.clock.now() })
          .returning('*');
        const created = row as ItemRow;
        if (source.type === 'pathway') {
          const topics = await trx('sandbox_pathway_topics').where({ pathway_id: source.id }).select('topic_id', 'position');
          if (topics.length > 0) {
            await trx('sandbox_pathway_topics').insert(topics.map((t: { topic_id: number; position: number }) => ({ pathway_id: created.id, topic_id: t.topic_id, position: t.position })));
          }
        }
        await copyContent(trx, source.id, created.id);
        clone = { type: created.type, id: String(created.id) };
      });
      if (clone) await events.emit('item.cloned', { source: { type: ref.type, id: ref.id }, clone });
      return clone;
    },

    async deleteItem(ref) {
      const deleted = await knex.transaction(async (trx) => {
        const source = await getItem(ctx, ref, trx);
        if (!source) return false;
        await trx('sandbox_enrolments').where({ item_type: source.type, item_id: String(source.id) }).delete();
        await trx('sandbox_learning').where({ item_type: source.type, item_id: String(source.id) }).delete();
        await trx('sandbox_pathway_topics').where({ pathway_id: source.id }).orWhere({ topic_id: source.id }).delete();
        await trx('sandbox_items').where({ id: source.id }).delete();
        return true;
      });
      if (deleted) await events.emit('item.deleted', { item: { type: ref.type, id: ref.id } });
      return deleted;
    },

    async updateUser(userId, patch) {
      const n = parseId(userId);
      if (n === null) return null;
      const before = await findUser(ctx, userId);
      if (!before) return null;
      const changes: Record<string, unknown> = {};
      if (patch.email !== undefined) changes.email = patch.email.trim();
      if (patch.firstName !== undefined) changes.first_name = patch.firstName;
      if (patch.lastName !== undefined) changes.last_name = patch.lastName;
      if (patch.type !== undefined) {
        if (!(USER_TYPES as readonly string[]).includes(patch.type)) throw new TypeError(`Unknown user type "${String(patch.type)}"`);
        if (patch.type !== before.type) changes.type = patch.type;
      }
      if (patch.role !== undefined) changes.role = patch.role;
      if (patch.status !== undefined) changes.status = patch.status;
      if (Object.keys(changes).length === 0) return before;
      const [row] = await knex<UserRow>('sandbox_users').where({ id: n }).update(changes).returning('*');
      const user = toHostUser(row as UserRow);
      const emailChanged = user.email.toLowerCase() !== before.email.toLowerCase();
      await events.emit('user.updated', { user, ...(emailChanged && { previousEmail: before.email }) });
      return user;
    },

    async deleteUser(userId) {
      const n = parseId(userId);
      if (n === null) return false;
      // `returning`: knex-pglite answers a bare delete with the raw result instead of a count.
      const rows = await knex('sandbox_users').where({ id: n }).delete().returning('id');
      if (rows.length > 0) await events.emit('user.deleted', { userId: String(n) });
      return rows.length > 0;
    },

    async removeEnrolment(userId, item) {
      const n = parseId(userId);
      if (n === null) return false;
      // One statement, committed when it answers: the event follows the commit.
      const rows = (await knex('sandbox_enrolments').where({ user_id: n, item_type: item.type, item_id: String(item.id) })
        .delete().returning(['source_kind', 'source_ref'])) as { source_kind: string; source_ref: string | null }[];
      const row = rows[0];
      if (!row) return false;
      await events.emit('enrolment.deleted', { userId: String(n), item: { type: item.type, id: String(item.id) }, source: sourceOf(row), removedBy: 'admin' });
      return true;
    },
  };
}
