/*
 * The enrolments port over sandbox_enrolments: idempotent, with the enrolment's source (1.1),
 * `enrolment.created` raised after commit; set-based enrolment in one statement; withdrawal of an
 * enrolment the caller made, unless the learner started.
 */
import type { Knex } from 'knex';
import type { EnrolmentSource, EnrolmentsPort, KnowledgeRef, Tx, WithdrawResult } from '../../src/contract/index.js';
import { isKnowledgeType } from '../knowledge.js';
import { checkedSource, hasStarted, OTHER, sameSource, sourceOf } from './enrolment-sources.js';
import type { HostContext } from './host-context.js';
import { parseId } from './records.js';

function checkedItem(item: KnowledgeRef): KnowledgeRef {
  if (!item || !isKnowledgeType(item.type)) throw new TypeError(`Invalid item type "${String(item?.type)}"`);
  return { type: item.type, id: String(item.id) };
}

export function createEnrolmentsPort(ctx: HostContext): EnrolmentsPort {
  async function enrolFrom(userId: string, item: KnowledgeRef, source: EnrolmentSource, tx?: Tx): Promise<{ created: boolean }> {
    const n = parseId(userId);
    if (n === null) throw new TypeError(`Invalid user id "${userId}"`);
    const ref = checkedItem(item);
    const { kind, ref: sourceRef } = checkedSource(source);
    const rows = await ctx.db(tx)('sandbox_enrolments')
      .insert({ user_id: n, item_type: ref.type, item_id: ref.id, source: kind, source_kind: kind, source_ref: sourceRef, created_at: ctx.clock.now() })
      .onConflict(['user_id', 'item_type', 'item_id'])
      .ignore()
      .returning('id');
    const created = rows.length > 0;
    if (created) void ctx.events.emitAfterCommit(tx, 'enrolment.created', { userId: String(n), item: ref });
    return { created };
  }

  return {
    enrol: (userId, item, tx) => enrolFrom(userId, item, OTHER, tx),
    enrolFrom,
    async isEnrolled(userId, item, tx) {
      const n = parseId(userId);
      if (n === null) return false;
      const row = await ctx.db(tx)('sandbox_enrolments').where({ user_id: n, item_type: item.type, item_id: item.id }).first('id');
      return !!row;
    },

    /**
     * One INSERT … SELECT over the caller's select: rows naming no user or no item are dropped by the
     * joins, existing enrolments by ON CONFLICT; only the count comes back. No `enrolment.created`
     * per row (the caller knows what it enrolled; a backfill may make hundreds of thousands).
     */
    async enrolSelected(select, source, tx) {
      const { kind, ref } = checkedSource(source);
      if (!select || typeof select.sql !== 'string' || !Array.isArray(select.bindings)) throw new TypeError('enrolSelected needs a SqlSelect');
      const sql = `with made as (
          insert into sandbox_enrolments (user_id, item_type, item_id, source, source_kind, source_ref, created_at)
          select u.id, i.type, i.id::text, ?, ?, ?, ?::timestamptz
            from (${select.sql}) as s
            join sandbox_users u on u.id = (case when s.user_id::text ~ '^[0-9]{1,9}$' then s.user_id::text::integer end)
            join sandbox_items i on i.id = (case when s.item_id::text ~ '^[0-9]{1,9}$' then s.item_id::text::integer end) and i.type = s.item_type::text
          on conflict (user_id, item_type, item_id) do nothing
          returning 1
        ) select count(*)::int as created from made`;
      const result = await ctx.db(tx).raw(sql, [kind, kind, ref, ctx.clock.now(), ...select.bindings] as never);
      return { created: Number((result.rows as { created: number }[])[0]?.created ?? 0) };
    },

    async withdraw(userId, item, onlyIf, tx) {
      const n = parseId(userId);
      const ref = checkedItem(item);
      const wanted = checkedSource(onlyIf?.source);
      if (n === null) return { withdrawn: false, reason: 'not_enrolled' };
      const work = async (trx: Knex.Transaction): Promise<WithdrawResult> => {
        const row = await trx('sandbox_enrolments').where({ user_id: n, item_type: ref.type, item_id: ref.id }).forUpdate().first('id', 'source_kind', 'source_ref');
        if (!row) return { withdrawn: false, reason: 'not_enrolled' };
        if (!sameSource(sourceOf(row), { kind: wanted.kind, ...(wanted.ref !== null && { ref: wanted.ref }) })) return { withdrawn: false, reason: 'other_source' };
        if (await hasStarted(trx, n, ref)) return { withdrawn: false, reason: 'started' };
        await trx('sandbox_enrolments').where({ id: row.id }).delete().returning('id');
        // A record the learner only opened (0 %, nothing done) goes with the enrolment.
        await trx('sandbox_learning').where({ user_id: n, item_type: ref.type, item_id: ref.id, percent: 0 }).whereNull('completed_at').delete().returning('user_id');
        return { withdrawn: true };
      };
      return tx ? (tx as Knex.Transaction).transaction(work) : ctx.knex.transaction(work);
    },
  };
}
