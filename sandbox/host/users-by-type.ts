/*
 * Users by type (contract 1.1), for enrolment rules: keyset pages ordered by id (the cursor is the
 * last id of a page), and the same set as a plain SELECT the plugin joins in its own statements.
 */
import { USER_TYPES } from '../../src/contract/index.js';
import type { SqlSelect, Tx, UserPage, UserPageQuery, UserType } from '../../src/contract/index.js';
import type { HostContext } from './host-context.js';
import { parseId, toHostUser } from './records.js';
import type { UserRow } from './records.js';

export const MAX_USER_PAGE = 5000;

function checkedTypes(types: readonly UserType[]): UserType[] {
  if (!Array.isArray(types)) throw new TypeError('User types must be a list');
  for (const t of types) if (!(USER_TYPES as readonly string[]).includes(t)) throw new TypeError(`Unknown user type "${String(t)}"`);
  return [...new Set(types)];
}

export async function listByType(ctx: HostContext, query: UserPageQuery, tx?: Tx): Promise<UserPage> {
  const types = checkedTypes(query.types);
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_USER_PAGE) throw new RangeError(`A page holds 1 to ${MAX_USER_PAGE} users`);
  let after = 0;
  if (query.after !== undefined && query.after !== null) {
    const n = parseId(query.after);
    if (n === null) throw new TypeError(`Invalid cursor "${String(query.after)}"`);
    after = n;
  }
  if (types.length === 0) return { users: [], next: null };
  const rows = await ctx.db(tx)<UserRow>('sandbox_users').whereIn('type', types).where('id', '>', after).orderBy('id').limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return { users: page.map(toHostUser), next: rows.length > query.limit ? String(page[page.length - 1]!.id) : null };
}

/** `id` (text), `email`, `type` of every user of the types; types travel as one comma-joined binding. */
export function selectByType(types: readonly UserType[]): SqlSelect {
  const wanted = checkedTypes(types);
  return {
    sql: "select u.id::text as id, u.email, u.type from sandbox_users u where u.type = any(string_to_array(?, ','))",
    bindings: [wanted.join(',')],
  };
}
