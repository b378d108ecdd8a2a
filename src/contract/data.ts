/*
 * Host contract v1, the data a host shares with the plugin: people, items and the shapes of both.
 * A host imports only src/contract/ (and the plugin's entry); nothing here depends on the plugin.
 */

/**
 * An open database transaction of the host's knex, opaque to the contract. Every port that writes
 * receives the plugin's transaction and must run its statements on it, so that one registration
 * (user, seat, enrolment, record, queued mail) commits or rolls back as a whole.
 */
export type Tx = object;

export const USER_TYPES = ['staff', 'client', 'prospect'] as const;
/** `prospect` is the type this plugin contributes (declared in the manifest's userTypes). */
export type UserType = (typeof USER_TYPES)[number];
export type AdminRole = 'super_admin' | 'standard_admin';
export type UserStatus = 'active' | 'suspended';

export interface HostUser {
  readonly id: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly type: UserType;
  /** Null for learners without an admin role. */
  readonly role: AdminRole | null;
  readonly status: UserStatus;
}

export interface NewUser {
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly type: UserType;
}

export const KNOWLEDGE_TYPES = ['topic', 'article', 'pathway'] as const;
export type KnowledgeType = (typeof KNOWLEDGE_TYPES)[number];
/** Where an item came from: made by the organisation, or imported from the host's library. */
export type KnowledgeOrigin = 'own' | 'library';

/** Identifies a topic, article or pathway. Ids are the host's, as strings. */
export interface KnowledgeRef {
  readonly type: KnowledgeType;
  readonly id: string;
}

export interface KnowledgeItem {
  readonly ref: KnowledgeRef;
  readonly title: string;
  readonly origin: KnowledgeOrigin;
  /** Absolute path or URL where an enrolled learner opens the item. */
  readonly learnerUrl: string;
  /**
   * Optional (1.1): the user types the item is opened to for self-enrolment (the host's catalogue),
   * or null/absent when learners cannot enrol themselves in it.
   */
  readonly selfEnrolment?: { readonly openTo: readonly UserType[] } | null;
}

/**
 * Optional (1.1): why an enrolment exists. The host stores it with the enrolment and reports it; the
 * plugin passes `token` (ref: the token's id) for registrations and `rule` (ref: the rule's id) for
 * enrolment rules. An enrolment made any other way (an admin, the learner) is `other`.
 */
export interface EnrolmentSource {
  readonly kind: 'token' | 'rule' | 'other';
  /** At most 64 characters. */
  readonly ref?: string;
}

/**
 * A plain SELECT the host hands the plugin (or the plugin hands the host) so set-based work can join
 * both sides in one statement on the shared database; `?` placeholders.
 */
export interface SqlSelect {
  readonly sql: string;
  readonly bindings: readonly unknown[];
}

export interface PortalInfo {
  readonly name: string;
  readonly primaryAdminEmail: string;
  /** Absolute base URL every emailed link is built from (never the request's Host header). */
  readonly publicBaseUrl: string;
  /** IANA time zone, e.g. `Europe/London`. */
  readonly timeZone: string;
}
