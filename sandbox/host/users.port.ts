/* The users port over sandbox_users: `user.created` is raised once the creating transaction commits. */
import { USER_TYPES } from '../../src/contract/index.js';
import type { UsersPort } from '../../src/contract/index.js';
import type { HostContext } from './host-context.js';
import { findUser, findUserByEmail } from './lookups.js';
import { toHostUser } from './records.js';
import type { UserRow } from './records.js';

export function createUsersPort(ctx: HostContext): UsersPort {
  return {
    findById: (id, tx) => findUser(ctx, id, tx),
    findByEmail: (email, tx) => findUserByEmail(ctx, email, tx),
    /** Optional port method: every user holding `role` (the plugin mails seat-limit alerts to Super admins). */
    async listAdmins(role, tx) {
      const rows = await ctx.db(tx)<UserRow>('sandbox_users').where({ role }).orderBy('id');
      return rows.map(toHostUser);
    },
    async create(input, tx) {
      if (!(USER_TYPES as readonly string[]).includes(input.type)) throw new TypeError(`Unknown user type "${String(input.type)}"`);
      const email = input.email.trim();
      if (!email || !input.firstName || !input.lastName) throw new TypeError('A user needs an email, a first name and a last name');
      const [row] = await ctx.db(tx)<UserRow>('sandbox_users')
        .insert({ email, first_name: input.firstName, last_name: input.lastName, type: input.type, role: null, status: 'active', password_hash: null, created_at: ctx.clock.now() })
        .returning('*');
      const user = toHostUser(row as UserRow);
      void ctx.events.emitAfterCommit(tx, 'user.created', { user });
      return user;
    },
  };
}
