import type { KnowledgeItem, KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { UsersPort } from '../../domain/ports/users.port.js';

/*
 * A page's items and people looked up in one call each (the host's optional `getMany` /
 * `findByIds`), not one per row; a host without them is asked once per distinct item or person.
 */

export const refKey = (ref: KnowledgeRef): string => `${ref.type}:${ref.id}`;

/** Each distinct item of `refs` as the host knows it now (null when it has gone), by `refKey`. */
export async function itemsByRef(catalogue: CataloguePort, refs: readonly KnowledgeRef[]): Promise<Map<string, KnowledgeItem | null>> {
  const distinct = [...new Map(refs.map((r) => [refKey(r), r])).values()];
  const out = new Map<string, KnowledgeItem | null>(distinct.map((r) => [refKey(r), null]));
  if (distinct.length === 0) return out;
  if (catalogue.getMany) {
    for (const item of await catalogue.getMany(distinct)) if (out.has(refKey(item.ref))) out.set(refKey(item.ref), item);
    return out;
  }
  for (const ref of distinct) out.set(refKey(ref), await catalogue.get(ref));
  return out;
}

/** Each distinct person of `ids` as the host knows them now (null when deleted), by id. */
export async function usersById(users: UsersPort, ids: readonly string[]): Promise<Map<string, HostUser | null>> {
  const distinct = [...new Set(ids)];
  const out = new Map<string, HostUser | null>(distinct.map((id) => [id, null]));
  if (distinct.length === 0) return out;
  if (users.findByIds) {
    for (const user of await users.findByIds(distinct)) if (out.has(user.id)) out.set(user.id, user);
    return out;
  }
  for (const id of distinct) out.set(id, await users.findById(id));
  return out;
}
