/* Reads of the sandbox_* tables that several ports (and the sandbox's pages) share. */
import type { HostUser, KnowledgeRef, Tx } from '../../src/contract/index.js';
import { isKnowledgeType } from '../knowledge.js';
import type { HostContext } from './host-context.js';
import { parseId, toHostUser } from './records.js';
import type { ItemRow, UserRow } from './records.js';

export async function findUser(ctx: HostContext, id: string, tx?: Tx): Promise<HostUser | null> {
  const n = parseId(id);
  if (n === null) return null;
  const row = await ctx.db(tx)<UserRow>('sandbox_users').where({ id: n }).first();
  return row ? toHostUser(row) : null;
}

export async function findUserByEmail(ctx: HostContext, email: string, tx?: Tx): Promise<HostUser | null> {
  const row = await ctx.db(tx)<UserRow>('sandbox_users').whereRaw('lower(email) = lower(?)', [email.trim()]).first();
  return row ? toHostUser(row) : null;
}

/** Email + password hash for the sign-in strategy. */
export async function findCredentials(ctx: HostContext, email: string): Promise<{ user: HostUser; passwordHash: string | null } | null> {
  const row = await ctx.knex<UserRow>('sandbox_users').whereRaw('lower(email) = lower(?)', [email.trim()]).first();
  return row ? { user: toHostUser(row), passwordHash: row.password_hash } : null;
}

export async function getItem(ctx: HostContext, ref: KnowledgeRef, tx?: Tx): Promise<ItemRow | null> {
  const n = parseId(ref.id);
  if (n === null || !isKnowledgeType(ref.type)) return null;
  const row = await ctx.db(tx)<ItemRow>('sandbox_items').where({ id: n, type: ref.type }).first();
  return row ?? null;
}
