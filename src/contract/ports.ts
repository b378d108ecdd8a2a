/*
 * Host contract v1, the framework-free ports: what the plugin calls on the host LMS.
 * docs/host-contract.md explains each one's promised semantics.
 */
import type { AdminRole, EnrolmentSource, HostUser, KnowledgeItem, KnowledgeRef, KnowledgeType, NewUser, PortalInfo, SqlSelect, Tx, UserType } from './data.js';

export interface UsersPort {
  findById(id: string, tx?: Tx): Promise<HostUser | null>;
  /** Case-insensitive match on the whole address. */
  findByEmail(email: string, tx?: Tx): Promise<HostUser | null>;
  /** Creates an active user without a password. Emails are unique case-insensitively. */
  create(input: NewUser, tx?: Tx): Promise<HostUser>;
  /**
   * Optional: the users holding an admin role (e.g. every Super admin, who receive the seat-limit
   * alert). Without it the plugin writes to the portal's primary admin only.
   */
  listAdmins?(role: AdminRole, tx?: Tx): Promise<HostUser[]>;
  /**
   * Optional (contract 1.1): several users at once, in one query (admin pages list a page of
   * registrants). Ids that match nobody are left out. Without it the plugin calls `findById` per id.
   */
  findByIds?(ids: readonly string[], tx?: Tx): Promise<HostUser[]>;
  /**
   * Optional (contract 1.1): a registration's whole host side in one call, ideally one statement —
   * take a seat, create the user if the email is free (insert … on conflict on the unique email
   * index), enrol them in `item`. Answers `exists` when the email is taken (`raced` when it was taken
   * by a transaction that committed while this one ran, i.e. a twin submit), `no_seat` when the
   * email is free but no seat is left. Without it the plugin calls `seats.claim`, `findByEmail`,
   * `create` and `enrolments.enrol` in turn.
   */
  createEnrolled?(input: NewUser, item: KnowledgeRef, tx: Tx, options?: CreateEnrolledOptions): Promise<CreateEnrolledResult>;
  /**
   * Optional (contract 1.1): the same as one SQL statement the plugin runs itself — alone, or as the
   * first part of a statement that also writes the plugin's rows, so a whole registration is one
   * round trip with no explicit transaction. `sql` must be a plain SELECT (e.g. of a host function;
   * a data-modifying CTE cannot be nested) returning exactly one row with `outcome` ('created',
   * 'exists', 'raced' or 'no_seat') and `user_id` (the new user's id as text when created).
   */
  createEnrolledStatement?(input: NewUser, item: KnowledgeRef, options?: CreateEnrolledOptions): HostStatement<CreateEnrolledResult>;
  /**
   * Optional (1.1): the users of the given types in pages, ordered by a stable key the host chooses
   * (`next` is the opaque cursor of the following page, null after the last). For rule backfills.
   */
  listByType?(query: UserPageQuery, tx?: Tx): Promise<UserPage>;
  /**
   * Optional (1.1): the same set as a plain SELECT with the columns `id` (text), `email` and `type`,
   * so the plugin can join it with its own tables in set-based work (a rule backfill is then one
   * statement). Without it the plugin pages through `listByType`.
   */
  selectByType?(types: readonly UserType[]): SqlSelect;
}

/**
 * What a host that offers `enrolments.enrolFrom` (1.1) takes in `createEnrolled` and
 * `createEnrolledStatement`: the registration enrolment's source, and further enrolments (the
 * matching enrolment rules' items) made in the same statement, each idempotent.
 */
export interface CreateEnrolledOptions {
  readonly source?: EnrolmentSource;
  readonly also?: readonly { readonly item: KnowledgeRef; readonly source: EnrolmentSource }[];
}

export interface UserPageQuery {
  readonly types: readonly UserType[];
  /** The cursor a previous page answered as `next`; absent for the first page. */
  readonly after?: string | null;
  /** 1 to 5,000. */
  readonly limit: number;
}

export interface UserPage {
  readonly users: readonly HostUser[];
  readonly next: string | null;
}

/** A statement the host hands the plugin to run on the host's database (its own knex), with `?` placeholders. */
export interface HostStatement<R> {
  readonly sql: string;
  readonly bindings: readonly unknown[];
  /** What the statement's row means. */
  read(row: Record<string, unknown>): R;
  /** Called once the statement (or the transaction it ran in) has committed: the host raises its events. */
  committed(row: Record<string, unknown>): void;
}

/** What `users.createEnrolled` did. */
export type CreateEnrolledResult =
  | { readonly kind: 'created'; readonly user: HostUser }
  | { readonly kind: 'exists'; readonly raced: boolean }
  | { readonly kind: 'no_seat' };

export interface EnrolmentsPort {
  /** Idempotent: enrolling an enrolled user changes nothing and reports created=false. */
  enrol(userId: string, item: KnowledgeRef, tx?: Tx): Promise<{ created: boolean }>;
  isEnrolled(userId: string, item: KnowledgeRef, tx?: Tx): Promise<boolean>;
  /**
   * Optional (1.1): `enrol` that records why (see EnrolmentSource). Idempotent like `enrol`: an
   * existing enrolment keeps its source. A host offering it also honours `CreateEnrolledOptions`.
   */
  enrolFrom?(userId: string, item: KnowledgeRef, source: EnrolmentSource, tx?: Tx): Promise<{ created: boolean }>;
  /**
   * Optional (1.1): set-based `enrolFrom`: enrols every row of `select` (columns `user_id` text,
   * `item_type`, `item_id` text) in one statement, skipping existing enrolments; answers how many it
   * created. Rows naming a user or item that does not exist are skipped.
   */
  enrolSelected?(select: SqlSelect, source: EnrolmentSource, tx?: Tx): Promise<{ created: number }>;
  /**
   * Optional (1.1): removes the enrolment only if its source equals `onlyIf.source` and the learner
   * has not started the item. Answers why not otherwise; never removes an enrolment of another
   * source. Raises no `enrolment.deleted` (the plugin asked for it).
   */
  withdraw?(userId: string, item: KnowledgeRef, onlyIf: { readonly source: EnrolmentSource }, tx?: Tx): Promise<WithdrawResult>;
}

export type WithdrawResult =
  | { readonly withdrawn: true }
  | { readonly withdrawn: false; readonly reason: 'not_enrolled' | 'other_source' | 'started' };

export interface CataloguePort {
  get(ref: KnowledgeRef, tx?: Tx): Promise<KnowledgeItem | null>;
  list(filter?: { type?: KnowledgeType }): Promise<KnowledgeItem[]>;
  /**
   * Optional: the page where admins see who enrolled in the item and how they are doing, as a
   * same-origin path (e.g. `/admin/reports/topic/12`), or null. Admin notification emails link to it,
   * prefixed with the public base URL; without it they link to the item's learner URL.
   */
  reportUrl?(ref: KnowledgeRef, tx?: Tx): Promise<string | null>;
  /**
   * Optional (contract 1.1): several items at once, in one query (admin pages list a page of tokens).
   * Refs that match nothing are left out. Without it the plugin calls `get` per distinct item.
   */
  getMany?(refs: readonly KnowledgeRef[], tx?: Tx): Promise<KnowledgeItem[]>;
}

export interface PortalPort {
  info(): Promise<PortalInfo>;
}

export interface SeatsPort {
  /** Seats left; null when the subscription is unlimited. */
  available(tx?: Tx): Promise<number | null>;
  /**
   * Atomically takes one seat for a user being created in `tx` (a conditional update or a
   * transaction-scoped lock). False when none is left; the caller then rolls back.
   */
  claim(tx: Tx): Promise<boolean>;
  /**
   * Optional (contract 1.1): true when `error`, thrown by the commit of a transaction that took a
   * seat, is the host refusing that seat at commit (a host may check its counter in a deferred
   * constraint trigger, so its row is locked only while committing). The plugin then answers that no
   * seat is left. Without it, a failed commit is an error like any other.
   */
  refusedAtCommit?(error: unknown): boolean;
}

export interface PasswordsPort {
  /** Sets the user's password under the host's policy; a refusal carries a message for the person. */
  setPassword(userId: string, password: string, tx?: Tx): Promise<{ ok: true } | { ok: false; message: string }>;
}

export interface LoggerPort {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

export interface ClockPort {
  now(): Date;
}

/** Raw RFC 5322 messages delivered to a development mailbox, used when no SMTP server is configured. */
export interface DevMailboxPort {
  deliver(message: { from: string; to: string; subject: string; raw: string; html?: string; text?: string; messageId: string }): Promise<void>;
}
