/*
 * Enrolment sources (contract 1.1) as the sandbox stores them: `source_kind` and `source_ref` on
 * sandbox_enrolments; and whether a learner has started an item, which keeps an enrolment from
 * being withdrawn.
 */
import type { Knex } from 'knex';
import type { EnrolmentSource, KnowledgeRef } from '../../src/contract/index.js';

export const SOURCE_KINDS = ['token', 'rule', 'other'] as const;
export const OTHER: EnrolmentSource = { kind: 'other' };

/** A source the sandbox can store; anything else is a programming error of the caller. */
export function checkedSource(source: EnrolmentSource | undefined): { kind: EnrolmentSource['kind']; ref: string | null } {
  if (source === undefined) return { kind: 'other', ref: null };
  if (!source || !(SOURCE_KINDS as readonly string[]).includes(source.kind)) throw new TypeError(`Unknown enrolment source kind "${String(source?.kind)}"`);
  if (source.ref !== undefined && source.ref !== null && (typeof source.ref !== 'string' || source.ref.length > 64)) {
    throw new TypeError('An enrolment source ref is a string of at most 64 characters');
  }
  return { kind: source.kind, ref: source.ref ?? null };
}

/** The stored columns as the contract's source (null for a row without one, which cannot happen after the migration). */
export function sourceOf(row: { source_kind?: string | null; source_ref?: string | null }): EnrolmentSource | null {
  if (!row.source_kind) return null;
  return { kind: row.source_kind as EnrolmentSource['kind'], ...(row.source_ref !== null && row.source_ref !== undefined && { ref: row.source_ref }) };
}

export const sameSource = (a: EnrolmentSource | null, b: EnrolmentSource): boolean =>
  !!a && a.kind === b.kind && (a.ref ?? null) === (b.ref ?? null);

/** How the admin pages show a source. */
export function sourceLabel(source: EnrolmentSource | null): string {
  if (!source) return 'Unknown';
  const what = { token: 'Self-registration token', rule: 'Enrolment rule', other: 'Admin or learner' }[source.kind];
  return source.ref ? `${what} (${source.ref})` : what;
}

/**
 * Whether the learner has done anything in the item: progress or completion in its learning record,
 * a lesson done, a quiz answer — and, for a pathway, the same in any of its topics. Opening an item
 * alone (a record at 0 %) is not starting it.
 */
export async function hasStarted(db: Knex, userId: number, item: KnowledgeRef): Promise<boolean> {
  const result = await db.raw(
    `with items as (
       select i.id from sandbox_items i where i.type = ? and i.id::text = ?
       union select pt.topic_id from sandbox_pathway_topics pt where ? = 'pathway' and pt.pathway_id::text = ?
     )
     select (
       exists (select 1 from sandbox_learning l where l.user_id = ? and (l.percent > 0 or l.completed_at is not null)
                 and ((l.item_type = ? and l.item_id = ?) or (l.item_type = 'topic' and l.item_id in (select id::text from items))))
       or exists (select 1 from sandbox_lesson_progress p join sandbox_lessons le on le.id = p.lesson_id
                   where p.user_id = ? and le.item_id in (select id from items))
       or exists (select 1 from sandbox_quiz_answers a join sandbox_quiz_questions q on q.id = a.question_id
                   where a.user_id = ? and q.item_id in (select id from items))
     ) as started`,
    [item.type, item.id, item.type, item.id, userId, item.type, item.id, userId, userId],
  );
  return !!(result.rows as { started: boolean }[])[0]?.started;
}
