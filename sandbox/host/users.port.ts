/* The users port over sandbox_users: `user.created` is raised once the creating transaction commits. */
import { USER_TYPES } from '../../src/contract/index.js';
import type { CreateEnrolledResult, KnowledgeRef, NewUser, Tx, UsersPort } from '../../src/contract/index.js';
import { isKnowledgeType } from '../knowledge.js';
import type { HostContext } from './host-context.js';
import { findUser, findUserByEmail } from './lookups.js';
import { parseId, toHostUser } from './records.js';
import type { UserRow } from './records.js';
import { CLAIM_FLAG_SQL } from './seats.port.js';

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
    createEnrolled: (input, item, tx) => createEnrolled(ctx, checked(input), item, tx),
  };
}

/**
 * Optional (1.1): seat, user and enrolment in one statement. The seat is checked against the counter
 * here (a plain read) and enforced at commit by the counter's deferred trigger (the flag set here),
 * so no lock is held while the plugin writes its own rows.
 */
async function createEnrolled(ctx: HostContext, input: NewUser, item: KnowledgeRef, tx: Tx): Promise<CreateEnrolledResult> {
  if (!isKnowledgeType(item.type)) throw new TypeError(`Invalid item type "${String(item.type)}"`);
  const now = ctx.clock.now();
  const result = await ctx.db(tx).raw(
    `with known as (select id from sandbox_users where lower(email) = lower(?)),
      seat as (
        select ${CLAIM_FLAG_SQL} as flag from sandbox_seat_counter c left join sandbox_portal p on p.id = 1
        where c.id = 1 and not exists (select 1 from known)
          and (case when p.id is null then ?::integer else p.seat_limit end is null
               or c.used < case when p.id is null then ?::integer else p.seat_limit end)),
      u as (
        insert into sandbox_users (email, first_name, last_name, type, role, status, password_hash, created_at)
        select ?, ?, ?, ?, null, 'active', null, ?::timestamptz from seat
        on conflict ((lower(email))) do nothing returning *),
      e as (
        insert into sandbox_enrolments (user_id, item_type, item_id, source, created_at)
        select id, ?, ?, 'self-registration', ?::timestamptz from u
        on conflict (user_id, item_type, item_id) do nothing returning id)
    select exists (select 1 from known) as known, exists (select 1 from seat) as seat,
      (select count(*) from e)::int as enrolled, u.* from (select 1) one left join u on true`,
    [input.email, ctx.config.seatLimit, ctx.config.seatLimit, input.email, input.firstName, input.lastName, input.type, now, item.type, item.id, now],
  );
  const row = (result.rows as (UserRow & { known: boolean; seat: boolean; enrolled: number })[])[0]!;
  if (row.known) return { kind: 'exists', raced: false };
  if (!row.seat) return { kind: 'no_seat' };
  if (row.id === null || row.id === undefined) return { kind: 'exists', raced: true };
  const user = toHostUser(row);
  void ctx.events.emitAfterCommit(tx, 'user.created', { user });
  if (row.enrolled > 0) void ctx.events.emitAfterCommit(tx, 'enrolment.created', { userId: user.id, item: { type: item.type, id: item.id } });
  return { kind: 'created', user };
}
