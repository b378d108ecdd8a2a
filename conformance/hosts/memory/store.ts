/*
 * The memory host's records (people, passwords, enrolments, learning) in plain maps, and how they
 * honour the plugin's transaction: a write given a knex transaction is staged on it, seen by reads on
 * that transaction (and its savepoints), applied when the outermost one commits and dropped when it
 * rolls back; what was queued for after the commit (events) runs then. A write that another open
 * transaction already staged for the same key waits for it to end, as a unique index would.
 */
import type { EnrolmentSource, HostUser, KnowledgeRef, Tx } from '../../../src/contract/index.js';

export interface StoredUser extends HostUser {
  readonly createdAt: Date;
}

export interface LearningRecord {
  readonly userId: string;
  readonly item: KnowledgeRef;
  percent: number;
  outcome: 'passed' | 'failed' | 'completed' | null;
  score: number | null;
}

/** One transaction's staged writes. */
class Staged {
  readonly users = new Map<string, StoredUser>();
  readonly passwords = new Map<string, string>();
  readonly enrolments = new Set<string>();
  /** Enrolments removed on this transaction (a later enrol on it takes the key out again). */
  readonly removed = new Set<string>();
  readonly sources = new Map<string, EnrolmentSource>();
  readonly learning = new Map<string, LearningRecord>();
  seatClaims = 0;
  readonly afterCommit: (() => void)[] = [];
  constructor(readonly parent: Staged | null, readonly settled: Promise<boolean>) {}
}

type KnexTx = { executionPromise?: Promise<unknown>; parentTransaction?: KnexTx };

export const enrolmentKey = (userId: string, item: KnowledgeRef): string => `${userId}|${item.type}|${item.id}`;
export const emailKey = (email: string): string => email.trim().toLowerCase();

export class MemoryStore {
  readonly users = new Map<string, StoredUser>();
  readonly passwords = new Map<string, string>();
  readonly enrolments = new Set<string>();
  /** Why each enrolment exists (contract 1.1); an enrolment made without a source is `other`. */
  readonly sources = new Map<string, EnrolmentSource>();
  readonly learning = new Map<string, LearningRecord>();
  /** Null: an unlimited subscription. */
  seatLimit: number | null = null;
  private readonly open = new Map<object, Staged>();

  /** The staged writes of `tx` (created on first use), or null without a transaction. */
  staged(tx: Tx | undefined): Staged | null {
    if (!tx) return null;
    const existing = this.open.get(tx);
    if (existing) return existing;
    const knexTx = tx as KnexTx;
    if (!knexTx.executionPromise) throw new TypeError('The memory host needs the knex transaction the plugin passes (with its executionPromise)');
    const parent = knexTx.parentTransaction ? this.staged(knexTx.parentTransaction) : null;
    // Applied in the first reaction to the commit, before the caller's `await knex.transaction()` resumes.
    let staged: Staged | null = null;
    const settled = knexTx.executionPromise.then(
      () => {
        this.open.delete(tx);
        this.commit(staged!);
        return true;
      },
      () => {
        this.open.delete(tx);
        return false;
      },
    );
    staged = new Staged(parent, settled);
    this.open.set(tx, staged);
    return staged;
  }

  private commit(staged: Staged): void {
    const into = staged.parent;
    if (into) {
      for (const [k, v] of staged.users) into.users.set(k, v);
      for (const [k, v] of staged.passwords) into.passwords.set(k, v);
      for (const k of staged.removed) {
        into.enrolments.delete(k);
        into.sources.delete(k);
        into.removed.add(k);
      }
      for (const k of staged.enrolments) {
        into.enrolments.add(k);
        into.removed.delete(k);
      }
      for (const [k, v] of staged.sources) into.sources.set(k, v);
      for (const [k, v] of staged.learning) into.learning.set(k, v);
      into.seatClaims += staged.seatClaims;
      into.afterCommit.push(...staged.afterCommit);
      return;
    }
    for (const [k, v] of staged.users) this.users.set(k, v);
    for (const [k, v] of staged.passwords) this.passwords.set(k, v);
    for (const k of staged.removed) {
      this.enrolments.delete(k);
      this.sources.delete(k);
    }
    for (const k of staged.enrolments) this.enrolments.add(k);
    for (const [k, v] of staged.sources) this.sources.set(k, v);
    for (const [k, v] of staged.learning) this.learning.set(k, v);
    for (const run of staged.afterCommit) run();
  }

  /** Each staged layer a read on `tx` sees, innermost first. */
  private *chain(tx: Tx | undefined): Generator<Staged> {
    for (let s = this.staged(tx); s; s = s.parent) yield s;
  }

  /** Layers of other transactions still open (not `tx` nor its parents). */
  private others(tx: Tx | undefined): Staged[] {
    const mine = new Set(this.chain(tx));
    return [...this.open.values()].filter((s) => !mine.has(s));
  }

  user(id: string, tx?: Tx): StoredUser | null {
    for (const s of this.chain(tx)) if (s.users.has(id)) return s.users.get(id)!;
    return this.users.get(id) ?? null;
  }

  allUsers(tx?: Tx): StoredUser[] {
    const all = new Map(this.users);
    for (const s of [...this.chain(tx)].reverse()) for (const [k, v] of s.users) all.set(k, v);
    return [...all.values()];
  }

  userByEmail(email: string, tx?: Tx): StoredUser | null {
    return this.allUsers(tx).find((u) => emailKey(u.email) === emailKey(email)) ?? null;
  }

  /** Waits while another open transaction has staged a write `holds` says conflicts (a unique index's wait). */
  async waitFor(tx: Tx | undefined, holds: (s: Staged) => boolean): Promise<void> {
    for (let blocker = this.others(tx).find(holds); blocker; blocker = this.others(tx).find(holds)) await blocker.settled;
  }

  async insertUser(user: StoredUser, tx?: Tx): Promise<void> {
    const key = emailKey(user.email);
    await this.waitFor(tx, (s) => [...s.users.values()].some((u) => emailKey(u.email) === key));
    if (this.userByEmail(user.email, tx)) throw Object.assign(new Error('duplicate key value violates unique constraint "users_email_lower"'), { code: '23505' });
    this.write(tx, (s) => s.users.set(user.id, user), () => this.users.set(user.id, user));
  }

  updateUser(user: StoredUser): void {
    this.users.set(user.id, user);
  }

  password(userId: string, tx?: Tx): string | null {
    for (const s of this.chain(tx)) if (s.passwords.has(userId)) return s.passwords.get(userId)!;
    return this.passwords.get(userId) ?? null;
  }

  setPassword(userId: string, hash: string, tx?: Tx): void {
    this.write(tx, (s) => s.passwords.set(userId, hash), () => this.passwords.set(userId, hash));
  }

  isEnrolled(key: string, tx?: Tx): boolean {
    for (const s of this.chain(tx)) {
      if (s.enrolments.has(key)) return true;
      if (s.removed.has(key)) return false;
    }
    return this.enrolments.has(key);
  }

  /** The enrolment's source as `tx` sees it (null when not enrolled). */
  sourceOf(key: string, tx?: Tx): EnrolmentSource | null {
    if (!this.isEnrolled(key, tx)) return null;
    for (const s of this.chain(tx)) if (s.sources.has(key)) return s.sources.get(key)!;
    return this.sources.get(key) ?? { kind: 'other' };
  }

  /** True when this call created the enrolment (with its source; an existing one keeps its own). */
  async enrol(key: string, tx?: Tx, source: EnrolmentSource = { kind: 'other' }): Promise<boolean> {
    await this.waitFor(tx, (s) => s.enrolments.has(key) || s.removed.has(key));
    if (this.isEnrolled(key, tx)) return false;
    this.write(tx, (s) => {
      s.enrolments.add(key);
      s.removed.delete(key);
      s.sources.set(key, source);
    }, () => {
      this.enrolments.add(key);
      this.sources.set(key, source);
    });
    return true;
  }

  /** Removes the enrolment when `keep` (given its source) says not to keep it; answers the source it had, or null when there was none. */
  async unenrol(key: string, tx: Tx | undefined, keep: (source: EnrolmentSource) => boolean = () => false): Promise<{ source: EnrolmentSource | null; removed: boolean }> {
    await this.waitFor(tx, (s) => s.enrolments.has(key) || s.removed.has(key));
    const source = this.sourceOf(key, tx);
    if (!source || keep(source)) return { source, removed: false };
    this.write(tx, (s) => {
      s.enrolments.delete(key);
      s.sources.delete(key);
      s.removed.add(key);
    }, () => {
      this.enrolments.delete(key);
      this.sources.delete(key);
    });
    return { source, removed: true };
  }

  learningOf(key: string, tx?: Tx): LearningRecord | null {
    for (const s of this.chain(tx)) if (s.learning.has(key)) return s.learning.get(key)!;
    return this.learning.get(key) ?? null;
  }

  saveLearning(key: string, record: LearningRecord, tx?: Tx): void {
    this.write(tx, (s) => s.learning.set(key, record), () => this.learning.set(key, record));
  }

  seatsLeft(tx?: Tx): number | null {
    if (this.seatLimit === null) return null;
    const claimed = [...this.chain(tx)].reduce((n, s) => n + s.seatClaims, 0);
    const created = [...this.chain(tx)].reduce((n, s) => n + s.users.size, 0);
    return Math.max(0, this.seatLimit - this.users.size - Math.max(claimed, created));
  }

  /**
   * Takes a seat for `tx`: seats held by other open transactions count as taken; when none is left
   * while some are held, it waits for one of those to end (a rollback frees its seat) and looks again.
   */
  async claimSeat(tx: Tx): Promise<boolean> {
    const mine = this.staged(tx)!;
    for (;;) {
      if (this.seatLimit === null) return true;
      const held = this.others(tx).filter((s) => s.seatClaims > 0);
      const taken = this.users.size + held.reduce((n, s) => n + s.seatClaims, 0) + [...this.chain(tx)].reduce((n, s) => n + s.seatClaims, 0);
      if (taken < this.seatLimit) {
        mine.seatClaims += 1;
        return true;
      }
      if (held.length === 0) return false;
      await Promise.race(held.map((s) => s.settled));
    }
  }

  /** Runs `run` after `tx` (and every transaction it is nested in) commits; now without one. */
  afterCommit(tx: Tx | undefined, run: () => void): void {
    const staged = this.staged(tx);
    if (staged) staged.afterCommit.push(run);
    else run();
  }

  private write(tx: Tx | undefined, staged: (s: Staged) => void, now: () => void): void {
    const s = this.staged(tx);
    if (s) staged(s);
    else now();
  }
}
