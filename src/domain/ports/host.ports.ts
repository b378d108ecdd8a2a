/*
 * The framework-free part of host contract v1: what the plugin needs from the host LMS.
 * The HTTP-facing ports (mounting, sessions, panels) are in src/contract.ts.
 */
import type { AdminRole, HostUser, NewUser } from '../shared/user.js';
import type { KnowledgeItem, KnowledgeRef, KnowledgeType } from '../shared/knowledge.js';
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
}

export interface EnrolmentsPort {
  /** Idempotent: enrolling an enrolled user changes nothing and reports created=false. */
  enrol(userId: string, item: KnowledgeRef, tx?: Tx): Promise<{ created: boolean }>;
  isEnrolled(userId: string, item: KnowledgeRef, tx?: Tx): Promise<boolean>;
}

export interface CataloguePort {
  get(ref: KnowledgeRef, tx?: Tx): Promise<KnowledgeItem | null>;
  list(filter?: { type?: KnowledgeType }): Promise<KnowledgeItem[]>;
  /**
   * Optional: the page where admins see who enrolled in the item and how they are doing, as a
   * same-origin path (e.g. `/admin/reports/topic/12`), or null. Admin notification emails link to it,
   * prefixed with the public base URL; without it they link to the item's learner URL.
   */
  reportUrl?(ref: KnowledgeRef, tx?: Tx): Promise<string | null>;
}

export interface PortalInfo {
  readonly name: string;
  readonly primaryAdminEmail: string;
  /** Absolute base URL every emailed link is built from (never the request's Host header). */
  readonly publicBaseUrl: string;
  /** IANA time zone, e.g. `Europe/London`. */
  readonly timeZone: string;
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
}

export interface PasswordsPort {
  /** Sets the user's password under the host's policy; a refusal carries a message for the person. */
  setPassword(userId: string, password: string, tx?: Tx): Promise<{ ok: true } | { ok: false; message: string }>;
}
