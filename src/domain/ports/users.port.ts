import type { KnowledgeRef } from '../shared/knowledge.js';
import type { AdminRole, HostUser, NewUser, UserType } from '../shared/user.js';
import type { EnrolmentSource, SqlSelect } from './enrolments.port.js';
import type { Tx } from './unit-of-work.port.js';

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
  /** Optional (1.1): users of the given types in pages (`next` null after the last). */
  listByType?(query: { readonly types: readonly UserType[]; readonly after?: string | null; readonly limit: number }, tx?: Tx): Promise<{ readonly users: readonly HostUser[]; readonly next: string | null }>;
  /** Optional (1.1): the same set as a plain SELECT of `id` (text), `email`, `type`. */
  selectByType?(types: readonly UserType[]): SqlSelect;
}

/** Honoured by a host offering `enrolments.enrolFrom`: the registration enrolment's source and further enrolments in the same statement. */
export interface CreateEnrolledOptions {
  readonly source?: EnrolmentSource;
  readonly also?: readonly { readonly item: KnowledgeRef; readonly source: EnrolmentSource }[];
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
