/*
 * Host contract v1, the framework-free ports: what the plugin calls on the host LMS.
 * docs/host-contract.md explains each one's promised semantics.
 */
import type { AdminRole, HostUser, KnowledgeItem, KnowledgeRef, KnowledgeType, NewUser, PortalInfo, Tx } from './data.js';

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
