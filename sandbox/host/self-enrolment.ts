/*
 * Self-enrolment in the sandbox: an admin opens an item to chosen user types; a signed-in learner of
 * such a type sees it in the catalogue and enrols. The `enrolment.self_enrol` filter chain is asked
 * before an item is listed and again before the enrolment is made: a vetoed item is not listed and a
 * vetoed request writes nothing. An enrolment made here has the source `other` (the learner) and
 * raises `enrolment.created` after commit.
 */
import { USER_TYPES } from '../../src/contract/index.js';
import type { FilterVeto, HostUser, KnowledgeItem, KnowledgeRef, UserType } from '../../src/contract/index.js';
import { itemsWithOpenTo } from './catalogue.port.js';
import type { FilterChains } from './filters.port.js';
import type { HostContext } from './host-context.js';
import { parseId, toKnowledgeItem } from './records.js';
import type { ItemWithOpenTo } from './records.js';
import { isKnowledgeType } from '../knowledge.js';

export type SelfEnrolResult =
  | { readonly kind: 'enrolled'; readonly item: KnowledgeItem }
  | { readonly kind: 'already'; readonly item: KnowledgeItem }
  | { readonly kind: 'refused'; readonly veto: FilterVeto };

export const NOT_OPEN: FilterVeto = { code: 'host.not_open', message: 'This item is not open for you to enrol in. Ask your portal admin for access.' };

export interface SandboxSelfEnrolment {
  /** The user types the item is opened to; empty when it is not open (or does not exist). */
  openTo(ref: KnowledgeRef): Promise<UserType[]>;
  /** Opens the item to these types, or closes it with none. False when there is no such item. */
  setOpenTo(ref: KnowledgeRef, types: readonly UserType[]): Promise<boolean>;
  /** The items opened to the user's type that they are not enrolled in and no filter vetoes, by title. */
  offers(user: HostUser): Promise<KnowledgeItem[]>;
  /** The item when it is opened to the user's type and no filter vetoes it (what the catalogue would list), else null. */
  offer(user: HostUser, ref: KnowledgeRef): Promise<KnowledgeItem | null>;
  /** Enrols the user if the item is opened to their type and no filter vetoes. */
  enrol(user: HostUser, ref: KnowledgeRef): Promise<SelfEnrolResult>;
}

export function createSelfEnrolment(ctx: HostContext, filters: FilterChains): SandboxSelfEnrolment {
  const { knex } = ctx;
  const ask = (user: HostUser, item: KnowledgeItem) =>
    filters.ask('enrolment.self_enrol', { user, item: item.ref, openTo: item.selfEnrolment?.openTo ?? [] });

  async function find(ref: KnowledgeRef): Promise<KnowledgeItem | null> {
    const n = parseId(String(ref?.id));
    if (n === null || !isKnowledgeType(ref.type)) return null;
    const row = (await itemsWithOpenTo(knex).where({ 'i.id': n, 'i.type': ref.type }).first()) as ItemWithOpenTo | undefined;
    return row ? toKnowledgeItem(row) : null;
  }

  const openToUser = (item: KnowledgeItem | null, user: HostUser): item is KnowledgeItem =>
    !!item && user.status === 'active' && (item.selfEnrolment?.openTo ?? []).includes(user.type);

  return {
    async openTo(ref) {
      return (await find(ref))?.selfEnrolment?.openTo.slice() ?? [];
    },

    async setOpenTo(ref, types) {
      const n = parseId(String(ref.id));
      if (n === null || !isKnowledgeType(ref.type)) return false;
      const wanted = USER_TYPES.filter((t) => types.includes(t));
      return knex.transaction(async (trx) => {
        const item = await trx('sandbox_items').where({ id: n, type: ref.type }).forUpdate().first('id');
        if (!item) return false;
        if (wanted.length === 0) await trx('sandbox_self_enrolment').where({ item_id: n }).delete().returning('item_id');
        else {
          await trx('sandbox_self_enrolment').insert({ item_id: n, open_to: trx.raw('string_to_array(?, \',\')', [wanted.join(',')]), updated_at: ctx.clock.now() })
            .onConflict('item_id').merge(['open_to', 'updated_at']);
        }
        return true;
      });
    },

    async offers(user) {
      if (user.status !== 'active') return [];
      const rows = await itemsWithOpenTo(knex)
        .whereRaw('? = any(se.open_to)', [user.type])
        .whereNotExists(knex('sandbox_enrolments as e').whereRaw('e.user_id = ? and e.item_type = i.type and e.item_id = i.id::text', [Number(user.id)]))
        .orderByRaw('lower(i.title), i.id');
      const items = (rows as ItemWithOpenTo[]).map(toKnowledgeItem);
      // Each item is asked on its own, all at once: one slow handler costs its timeout once, not per item.
      const vetoes = await Promise.all(items.map((item) => ask(user, item)));
      return items.filter((_item, i) => vetoes[i] === null);
    },

    async offer(user, ref) {
      const item = await find(ref);
      if (!openToUser(item, user)) return null;
      return (await ask(user, item)) === null ? item : null;
    },

    async enrol(user, ref) {
      const item = await find(ref);
      if (!openToUser(item, user)) return { kind: 'refused', veto: NOT_OPEN };
      // The chain runs before the transaction, so a slow handler holds no lock.
      const veto = await ask(user, item);
      if (veto) return { kind: 'refused', veto };
      const emits: Promise<void>[] = [];
      const outcome = await knex.transaction(async (trx): Promise<'enrolled' | 'already' | 'closed'> => {
        // Still open to them at the moment of writing (an admin may have closed it meanwhile).
        const open = await trx('sandbox_self_enrolment').where({ item_id: Number(item.ref.id) }).whereRaw('? = any(open_to)', [user.type]).forShare().first('item_id');
        if (!open) return 'closed';
        const rows = await trx('sandbox_enrolments')
          .insert({ user_id: Number(user.id), item_type: item.ref.type, item_id: item.ref.id, source: 'other', source_kind: 'other', source_ref: null, created_at: ctx.clock.now() })
          .onConflict(['user_id', 'item_type', 'item_id']).ignore().returning('id');
        if (rows.length === 0) return 'already';
        emits.push(ctx.events.emitAfterCommit(trx, 'enrolment.created', { userId: user.id, item: item.ref }));
        return 'enrolled';
      });
      await Promise.all(emits);
      if (outcome === 'closed') return { kind: 'refused', veto: NOT_OPEN };
      return { kind: outcome, item };
    },
  };
}
