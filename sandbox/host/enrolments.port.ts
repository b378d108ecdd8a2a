/* The enrolments port over sandbox_enrolments: idempotent, `enrolment.created` raised after commit. */
import type { EnrolmentsPort } from '../../src/contract/index.js';
import { isKnowledgeType } from '../knowledge.js';
import type { HostContext } from './host-context.js';
import { parseId } from './records.js';

export function createEnrolmentsPort(ctx: HostContext): EnrolmentsPort {
  return {
    async enrol(userId, item, tx) {
      const n = parseId(userId);
      if (n === null) throw new TypeError(`Invalid user id "${userId}"`);
      if (!isKnowledgeType(item.type)) throw new TypeError(`Invalid item type "${String(item.type)}"`);
      const rows = await ctx.db(tx)('sandbox_enrolments')
        .insert({ user_id: n, item_type: item.type, item_id: item.id, source: 'self-registration', created_at: ctx.clock.now() })
        .onConflict(['user_id', 'item_type', 'item_id'])
        .ignore()
        .returning('id');
      const created = rows.length > 0;
      if (created) void ctx.events.emitAfterCommit(tx, 'enrolment.created', { userId: String(n), item: { type: item.type, id: item.id } });
      return { created };
    },
    async isEnrolled(userId, item, tx) {
      const n = parseId(userId);
      if (n === null) return false;
      const row = await ctx.db(tx)('sandbox_enrolments').where({ user_id: n, item_type: item.type, item_id: item.id }).first('id');
      return !!row;
    },
  };
}
