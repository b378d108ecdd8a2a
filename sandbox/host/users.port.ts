/* The users port over sandbox_users: `user.created` is raised once the creating transaction commits. */
import { USER_TYPES } from '../../src/contract/index.js';
import type { CreateEnrolledOptions, CreateEnrolledResult, HostStatement, KnowledgeRef, NewUser, Tx, UsersPort } from '../../src/contract/index.js';
import { isKnowledgeType } from '../knowledge.js';
import { checkedSource } from './enrolment-sources.js';
import type { HostContext } from './host-context.js';
import { findUser, findUserByEmail } from './lookups.js';
import { parseId, toHostUser } from './records.js';
import type { UserRow } from './records.js';
import { listByType, selectByType } from './users-by-type.js';

function checked(input: NewUser): NewUser {
  if (!(USER_TYPES as readonly string[]).includes(input.type)) throw new TypeError(`Unknown user type "${String(input.type)}"`);
  const email = input.email.trim();
  if (!email || !input.firstName || !input.lastName) throw new TypeError('A user needs an email, a first name and a last name');
  return { ...input, email };
}

export function createUsersPort(ctx: HostContext): UsersPort {
  return {
    findById: (id, tx) => findUser(ctx, id, tx),
    findByEmail: (email, tx) => findUserByEmail(ctx, email, tx),
    /** Optional (1.1): a page of users in one query. */
    async findByIds(ids, tx) {
      const wanted = [...new Set(ids.map(parseId).filter((n): n is number => n !== null))];
      if (wanted.length === 0) return [];
      return (await ctx.db(tx)<UserRow>('sandbox_users').whereIn('id', wanted)).map(toHostUser);
    },
    /** Optional port method: every user holding `role` (the plugin mails seat-limit alerts to Super admins). */
    async listAdmins(role, tx) {
      const rows = await ctx.db(tx)<UserRow>('sandbox_users').where({ role }).orderBy('id');
      return rows.map(toHostUser);
    },
    async create(input, tx) {
      const user0 = checked(input);
      const [row] = await ctx.db(tx)<UserRow>('sandbox_users')
        .insert({ email: user0.email, first_name: user0.firstName, last_name: user0.lastName, type: user0.type, role: null, status: 'active', password_hash: null, created_at: ctx.clock.now() })
        .returning('*');
      const user = toHostUser(row as UserRow);
      void ctx.events.emitAfterCommit(tx, 'user.created', { user });
      return user;
    },
    createEnrolled: (input, item, tx, options) => createEnrolled(ctx, checked(input), item, tx, options),
    createEnrolledStatement: (input, item, options) => enrolledStatement(ctx, checked(input), item, options).statement,
    listByType: (query, tx) => listByType(ctx, query, tx),
    selectByType: (types) => selectByType(types),
  };
}

/**
 * Optional (1.1): seat, user and enrolment in one call of `sandbox_create_enrolled` (see the seat
 * counter's migration; the enrolment sources' migration adds the registration's source and the
 * `also` enrolments, made in the same call). The seat is checked against the counter there and enforced at commit by the
 * counter's deferred trigger, so no lock is held while the plugin writes its own rows. `raise`
 * raises user.created and enrolment.created once `tx` committed (at once without one).
 */
function enrolledStatement(ctx: HostContext, input: NewUser, item: KnowledgeRef, options?: CreateEnrolledOptions): { statement: HostStatement<CreateEnrolledResult>; raise(row: Record<string, unknown>, tx?: Tx): void } {
  if (!isKnowledgeType(item.type)) throw new TypeError(`Invalid item type "${String(item.type)}"`);
  const source = checkedSource(options?.source);
  const also = (options?.also ?? []).map((a) => {
    if (!a || !a.item || !isKnowledgeType(a.item.type)) throw new TypeError(`Invalid item type "${String(a?.item?.type)}"`);
    const s = checkedSource(a.source);
    return { type: a.item.type, id: String(a.item.id), kind: s.kind, ref: s.ref };
  });
  type Made = { type: KnowledgeRef['type']; id: string };
  type Row = { outcome: string; user_id: string | null; email: string; first_name: string; last_name: string; type: UserRow['type']; role: UserRow['role']; status: UserRow['status']; enrolled: boolean; also_created: Made[] | string | null };
  const alsoOf = (row: Row): Made[] => (typeof row.also_created === 'string' ? JSON.parse(row.also_created) as Made[] : row.also_created ?? []);
  const userOf = (row: Row) => toHostUser({ ...row, id: Number(row.user_id), password_hash: null, created_at: new Date() });
  const raise = (raw: Record<string, unknown>, tx?: Tx) => {
    const row = raw as Row;
    if (row.outcome !== 'created') return;
    void ctx.events.emitAfterCommit(tx, 'user.created', { user: userOf(row) });
    if (row.enrolled) void ctx.events.emitAfterCommit(tx, 'enrolment.created', { userId: String(row.user_id), item: { type: item.type, id: item.id } });
    for (const made of alsoOf(row)) void ctx.events.emitAfterCommit(tx, 'enrolment.created', { userId: String(row.user_id), item: { type: made.type, id: made.id } });
  };
  const statement: HostStatement<CreateEnrolledResult> = {
    // The email's "known" is read by the calling statement, in its snapshot (see the function).
    sql: 'select * from sandbox_create_enrolled(?, ?, ?, ?, ?, ?, ?::timestamptz, ?::integer, exists (select 1 from sandbox_users k where lower(k.email) = lower(?)), ?, ?, ?::jsonb)',
    bindings: [input.email, input.firstName, input.lastName, input.type, item.type, item.id, ctx.clock.now(), ctx.config.seatLimit, input.email, source.kind, source.ref, JSON.stringify(also)],
    read(raw) {
      const row = raw as Row;
      if (row.outcome === 'created') return { kind: 'created', user: userOf(row) };
      if (row.outcome === 'no_seat') return { kind: 'no_seat' };
      return { kind: 'exists', raced: row.outcome === 'raced' };
    },
    committed: (row) => raise(row),
  };
  return { statement, raise };
}

async function createEnrolled(ctx: HostContext, input: NewUser, item: KnowledgeRef, tx: Tx, options?: CreateEnrolledOptions): Promise<CreateEnrolledResult> {
  const { statement, raise } = enrolledStatement(ctx, input, item, options);
  const result = await ctx.db(tx).raw(statement.sql, statement.bindings as never);
  const row = (result.rows as Record<string, unknown>[])[0]!;
  raise(row, tx);
  return statement.read(row);
}
