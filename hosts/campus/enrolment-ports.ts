/*
 * Campus's contract 1.1 port methods: a registration in one call or one statement
 * (campus_enrol_newcomer, see newcomer-function.ts), memberships that say how they came about
 * (`via`), set-based joining, withdrawal of one's own memberships unless the learner has made
 * progress, people by audience in keyset pages (by UUID), and the removal an admin or the learner
 * makes (enrolment.deleted through the outbox, on the same transaction).
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type {
  ClockPort, CreateEnrolledOptions, CreateEnrolledResult, EnrolmentSource, EnrolmentsPort, HostStatement, KnowledgeRef, NewUser, SqlSelect, Tx,
  UsersPort, UserType, WithdrawResult,
} from '../../src/contract/index.js';
import { USER_TYPES } from '../../src/contract/index.js';
import type { EventOutbox } from './event-outbox.js';
import { isUuid, toUser, type PersonRow } from './records.js';

const VIAS = ['token', 'rule', 'other'];

function via(source: EnrolmentSource | undefined): { via: string; via_ref: string | null } {
  if (source === undefined) return { via: 'other', via_ref: null };
  if (!source || !VIAS.includes(source.kind)) throw new TypeError(`Campus knows no enrolment source "${String(source?.kind)}"`);
  if (source.ref !== undefined && (typeof source.ref !== 'string' || source.ref.length > 64)) throw new TypeError('A source ref is at most 64 characters');
  return { via: source.kind, via_ref: source.ref ?? null };
}

const sourceOf = (row: { via: string; via_ref: string | null }): EnrolmentSource => (row.via_ref === null ? { kind: row.via as EnrolmentSource['kind'] } : { kind: row.via as EnrolmentSource['kind'], ref: row.via_ref });

function audiences(types: readonly UserType[]): UserType[] {
  if (!Array.isArray(types) || types.some((t) => !(USER_TYPES as readonly string[]).includes(t))) throw new TypeError('Campus has no such audience');
  return [...new Set(types)];
}

type NewcomerRow = { outcome: string; user_id: string | null; email: string; given_name: string; family_name: string; audience: UserType };

export function campusEnrolments(knex: Knex, events: EventOutbox, clock: ClockPort) {
  const db = (tx?: Tx): Knex => (tx as Knex.Transaction | undefined) ?? knex;

  /** `hold`: the statement form's id, holding its events until committed(row) (null: on the caller's transaction, delivered after its commit). */
  function newcomerStatement(input: NewUser, item: KnowledgeRef, options: CreateEnrolledOptions | undefined, hold: string | null): HostStatement<CreateEnrolledResult> {
    if (!(USER_TYPES as readonly string[]).includes(input.type)) throw new TypeError(`Campus has no audience "${input.type}"`);
    const email = input.email.trim();
    if (!email || !input.firstName || !input.lastName) throw new TypeError('A person needs an email and a name');
    const main = via(options?.source);
    const also = (options?.also ?? []).map((a) => ({ type: a.item.type, id: String(a.item.id), kind: via(a.source).via, ref: via(a.source).via_ref }));
    return {
      sql: 'select * from campus_enrol_newcomer(?::uuid, ?, ?, ?, ?, ?, ?, ?::timestamptz, exists (select 1 from campus_people k where lower(k.email) = lower(?)), ?, ?, ?::jsonb, ?::uuid)',
      bindings: [randomUUID(), email, input.firstName, input.lastName, input.type, String(item.id), item.type, clock.now(), email, main.via, main.via_ref, JSON.stringify(also), hold],
      read(raw) {
        const row = raw as NewcomerRow;
        if (row.outcome === 'created') {
          return { kind: 'created', user: toUser({ id: row.user_id!, email: row.email, given_name: row.given_name, family_name: row.family_name, audience: row.audience, admin_level: null, suspended: false, password: null }) };
        }
        return row.outcome === 'no_seat' ? { kind: 'no_seat' } : { kind: 'exists', raced: row.outcome === 'raced' };
      },
      committed: () => void (hold === null ? events.delivered() : events.release(hold)),
    };
  }

  const users: Required<Pick<UsersPort, 'findByIds' | 'createEnrolled' | 'createEnrolledStatement' | 'listByType' | 'selectByType'>> = {
    async findByIds(ids, tx) {
      const wanted = [...new Set(ids.filter(isUuid))];
      return wanted.length === 0 ? [] : (await db(tx)<PersonRow>('campus_people').whereIn('id', wanted)).map(toUser);
    },
    async createEnrolled(input, item, tx, options) {
      const statement = newcomerStatement(input, item, options, null);
      const row = ((await db(tx).raw(statement.sql, statement.bindings as never)) as { rows: Record<string, unknown>[] }).rows[0]!;
      void events.delivered(tx);
      return statement.read(row);
    },
    createEnrolledStatement: (input, item, options) => newcomerStatement(input, item, options, randomUUID()),
    async listByType(query, tx) {
      const wanted = audiences(query.types);
      if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > 5000) throw new RangeError('A page holds 1 to 5,000 people');
      if (query.after != null && !isUuid(query.after)) throw new TypeError('Campus did not give that cursor');
      if (wanted.length === 0) return { users: [], next: null };
      const q = db(tx)<PersonRow>('campus_people').whereIn('audience', wanted).orderBy('id').limit(query.limit + 1);
      if (query.after != null) q.where('id', '>', query.after);
      const rows = await q;
      const page = rows.slice(0, query.limit);
      return { users: page.map(toUser), next: rows.length > query.limit ? page[page.length - 1]!.id : null };
    },
    selectByType(types): SqlSelect {
      const wanted = audiences(types);
      if (wanted.length === 0) return { sql: 'select p.id::text as id, p.email, p.audience as type from campus_people p where false', bindings: [] };
      return { sql: `select p.id::text as id, p.email, p.audience as type from campus_people p where p.audience in (${wanted.map(() => '?').join(', ')})`, bindings: wanted };
    },
  };

  async function enrolFrom(userId: string, item: KnowledgeRef, source: EnrolmentSource, tx?: Tx): Promise<{ created: boolean }> {
    const how = via(source);
    if (!isUuid(userId) || !isUuid(item.id)) throw new TypeError('Campus cannot enrol in that');
    const course = await db(tx)('campus_courses').where({ id: item.id, kind: item.type }).first('id');
    if (!course) throw new TypeError('Campus cannot enrol in that');
    const rows = await db(tx)('campus_memberships').insert({ person_id: userId, course_id: item.id, since: clock.now(), ...how }).onConflict(['person_id', 'course_id']).ignore().returning('person_id');
    if (rows.length > 0) await events.raise('enrolment.created', { userId, item: { type: item.type, id: item.id } }, tx);
    return { created: rows.length > 0 };
  }

  const enrolments: Required<Pick<EnrolmentsPort, 'enrolFrom' | 'enrolSelected' | 'withdraw'>> = {
    enrolFrom,
    /** One INSERT … SELECT joined on Campus's people and courses (as text, so a foreign id matches nothing); no event per row. */
    async enrolSelected(select, source, tx) {
      const how = via(source);
      const result = await db(tx).raw(`with made as (
          insert into campus_memberships (person_id, course_id, since, via, via_ref)
          select distinct p.id, c.id, ?::timestamptz, ?, ? from (${select.sql}) as s
            join campus_people p on p.id::text = s.user_id::text
            join campus_courses c on c.id::text = s.item_id::text and c.kind = s.item_type::text
          on conflict (person_id, course_id) do nothing returning 1
        ) select count(*)::int as created from made`, [clock.now(), how.via, how.via_ref, ...select.bindings] as never);
      return { created: Number((result as { rows: { created: number }[] }).rows[0]?.created ?? 0) };
    },
    async withdraw(userId, item, onlyIf, tx): Promise<WithdrawResult> {
      const wanted = via(onlyIf?.source);
      if (!isUuid(userId) || !isUuid(item.id)) return { withdrawn: false, reason: 'not_enrolled' };
      const work = async (trx: Knex.Transaction): Promise<WithdrawResult> => {
        const row = await trx('campus_memberships as m').join('campus_courses as c', 'c.id', 'm.course_id')
          .where({ 'm.person_id': userId, 'm.course_id': item.id, 'c.kind': item.type }).forUpdate('m').first('m.via', 'm.via_ref');
        if (!row) return { withdrawn: false, reason: 'not_enrolled' };
        if (row.via !== wanted.via || (row.via_ref ?? null) !== wanted.via_ref) return { withdrawn: false, reason: 'other_source' };
        const progress = await trx('campus_progress').where({ person_id: userId, course_id: item.id }).andWhere((q) => q.where('percent', '>', 0).orWhereNotNull('outcome')).first('percent');
        if (progress) return { withdrawn: false, reason: 'started' };
        await trx('campus_memberships').where({ person_id: userId, course_id: item.id }).delete();
        return { withdrawn: true };
      };
      return tx ? (tx as Knex.Transaction).transaction(work) : knex.transaction(work);
    },
  };

  /** A manager removing someone from a course, or the learner leaving it: enrolment.deleted with its source follows the commit. */
  async function leave(userId: string, item: KnowledgeRef, by: 'admin' | 'learner'): Promise<boolean> {
    if (!isUuid(userId) || !isUuid(item.id)) return false;
    return knex.transaction(async (trx) => {
      const [gone] = await trx('campus_memberships').where({ person_id: userId, course_id: item.id }).delete().returning(['via', 'via_ref']);
      if (!gone) return false;
      await events.raise('enrolment.deleted', { userId, item: { type: item.type, id: item.id }, source: sourceOf(gone), removedBy: by }, trx);
      return true;
    });
  }

  return { users, enrolments, leave };
}
