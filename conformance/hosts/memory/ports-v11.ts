/*
 * The memory host's contract 1.1 port methods over MemoryStore: people and items a page at a time,
 * a registration's host side in one call (exists / raced / no_seat / created, with the registration's
 * source and the further `also` enrolments), enrolments with their source, withdrawal of one's own
 * enrolment unless the learner started, and people by type in pages. It offers no statement forms
 * (createEnrolledStatement, selectByType, enrolSelected): its records are not in the database.
 */
import type {
  CreateEnrolledOptions, CreateEnrolledResult, EnrolmentSource, EnrolmentsPort, HostUser, KnowledgeItem, KnowledgeRef, NewUser, Tx,
  UserPage, UserPageQuery, UsersPort, WithdrawResult,
} from '../../../src/contract/index.js';
import { USER_TYPES } from '../../../src/contract/index.js';
import type { MemoryEvents } from './ports.js';
import { emailKey, enrolmentKey, type MemoryStore, type StoredUser } from './store.js';

export const OTHER: EnrolmentSource = { kind: 'other' };
const KINDS = ['token', 'rule', 'other'];

export function checkedSource(source: EnrolmentSource | undefined): EnrolmentSource {
  if (source === undefined) return OTHER;
  if (!source || !KINDS.includes(source.kind)) throw new TypeError(`Unknown enrolment source kind "${String(source?.kind)}"`);
  if (source.ref !== undefined && (typeof source.ref !== 'string' || source.ref.length > 64)) throw new TypeError('An enrolment source ref is a string of at most 64 characters');
  return source.ref === undefined ? { kind: source.kind } : { kind: source.kind, ref: source.ref };
}

export const sameSource = (a: EnrolmentSource, b: EnrolmentSource): boolean => a.kind === b.kind && (a.ref ?? null) === (b.ref ?? null);
const strip = ({ createdAt: _c, ...user }: StoredUser): HostUser => user;

export interface PortsV11 {
  users: Required<Pick<UsersPort, 'findByIds' | 'createEnrolled' | 'listByType'>>;
  enrolments: Required<Pick<EnrolmentsPort, 'enrolFrom' | 'withdraw'>>;
  getMany(refs: readonly KnowledgeRef[]): Promise<KnowledgeItem[]>;
}

export function portsV11(store: MemoryStore, items: Map<string, KnowledgeItem>, events: MemoryEvents, create: UsersPort['create']): PortsV11 {
  const itemOf = (ref: KnowledgeRef) => {
    const item = items.get(ref.id);
    return item && item.ref.type === ref.type ? item : null;
  };

  async function enrolFrom(userId: string, item: KnowledgeRef, source: EnrolmentSource, tx?: Tx): Promise<{ created: boolean }> {
    const created = await store.enrol(enrolmentKey(userId, item), tx, checkedSource(source));
    if (created) events.raise('enrolment.created', { userId, item: { type: item.type, id: item.id } }, tx);
    return { created };
  }

  async function createEnrolled(input: NewUser, item: KnowledgeRef, tx: Tx, options?: CreateEnrolledOptions): Promise<CreateEnrolledResult> {
    if (!tx) throw new TypeError('users.createEnrolled needs the registration’s transaction');
    const source = checkedSource(options?.source);
    const also = (options?.also ?? []).map((a) => ({ item: a.item, source: checkedSource(a.source) }));
    if (store.userByEmail(input.email, tx)) return { kind: 'exists', raced: false };
    // Another open transaction holding the address: wait for it, as the unique index would.
    const key = emailKey(input.email);
    await store.waitFor(tx, (s) => [...s.users.values()].some((u) => emailKey(u.email) === key));
    if (store.userByEmail(input.email, tx)) return { kind: 'exists', raced: true };
    if (!(await store.claimSeat(tx))) return { kind: 'no_seat' };
    let user: HostUser;
    try {
      user = await create(input, tx);
    } catch (error) {
      if ((error as { code?: unknown }).code === '23505') return { kind: 'exists', raced: true };
      throw error;
    }
    await enrolFrom(user.id, item, source, tx);
    for (const further of also) if (itemOf(further.item)) await enrolFrom(user.id, further.item, further.source, tx);
    return { kind: 'created', user };
  }

  async function withdraw(userId: string, item: KnowledgeRef, onlyIf: { readonly source: EnrolmentSource }, tx?: Tx): Promise<WithdrawResult> {
    const wanted = checkedSource(onlyIf?.source);
    const key = enrolmentKey(userId, item);
    let reason: 'other_source' | 'started' = 'other_source';
    const { source, removed } = await store.unenrol(key, tx, (had) => {
      if (!sameSource(had, wanted)) return true;
      reason = 'started';
      return store.learningOf(key, tx) !== null;
    });
    if (!source) return { withdrawn: false, reason: 'not_enrolled' };
    return removed ? { withdrawn: true } : { withdrawn: false, reason };
  }

  async function listByType(query: UserPageQuery, tx?: Tx): Promise<UserPage> {
    if (!Array.isArray(query.types) || query.types.some((t) => !(USER_TYPES as readonly string[]).includes(t))) throw new TypeError('Unknown user type');
    if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > 5000) throw new RangeError('A page holds 1 to 5,000 users');
    const after = query.after ?? null;
    if (after !== null && (typeof after !== 'string' || store.user(after, tx) === null)) throw new TypeError('The memory host did not hand out that cursor');
    const all = store.allUsers(tx).filter((u) => query.types.includes(u.type) && (after === null || u.id > after)).sort((a, b) => (a.id < b.id ? -1 : 1));
    const page = all.slice(0, query.limit);
    return { users: page.map(strip), next: all.length > query.limit ? page[page.length - 1]!.id : null };
  }

  return {
    users: {
      async findByIds(ids, tx) {
        return [...new Set(ids)].map((id) => store.user(id, tx)).filter((u): u is StoredUser => u !== null).map(strip);
      },
      createEnrolled,
      listByType,
    },
    enrolments: { enrolFrom, withdraw },
    async getMany(refs) {
      const seen = new Set<string>();
      const out: KnowledgeItem[] = [];
      for (const ref of refs) {
        const item = itemOf(ref);
        if (item && !seen.has(`${ref.type}:${ref.id}`)) {
          seen.add(`${ref.type}:${ref.id}`);
          out.push(item);
        }
      }
      return out;
    },
  };
}
