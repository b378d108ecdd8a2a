/* Ports the plugin's own storage implements (adapters/persistence). */
import type { KnowledgeRef } from '../shared/knowledge.js';
import type { Token } from '../tokens/token.js';
import type { EmailLinkPurpose } from '../registration/registration.js';
import type { Tx } from './unit-of-work.port.js';

export interface NewToken {
  readonly item: KnowledgeRef;
  readonly nickname: string | null;
  /** Canonical code (see normaliseCode) and what admins are shown. */
  readonly normalisedCode: string;
  readonly displayCode: string;
  readonly custom: boolean;
  readonly expiresAt: Date | null;
  readonly maxUses: number | null;
  readonly createdBy: string | null;
  /** Display name of the creator, kept as a snapshot. */
  readonly createdByName?: string | null;
}

export interface TokenRepository {
  /** Null when the code is taken (by any token of any item). */
  insert(token: NewToken, tx?: Tx): Promise<Token | null>;
  listForItem(item: KnowledgeRef): Promise<Token[]>;
  findById(id: string, tx?: Tx): Promise<Token | null>;
  findByCode(normalisedCode: string, tx?: Tx): Promise<Token | null>;
  /**
   * Claims one use atomically: succeeds only while the token is enabled, unexpired and under its
   * max uses at `now`. Returns the token after the claim, or null when the claim lost.
   */
  claimUse(id: string, now: Date, tx: Tx): Promise<Token | null>;
  deleteForItem(item: KnowledgeRef, tx?: Tx): Promise<number>;
}

/** The terms and privacy links a registrant was shown and agreed to on the public form. */
export interface ConsentGiven {
  readonly termsUrl: string | null;
  readonly privacyUrl: string | null;
}

/** Evidence of consent: when the registrant agreed (submitted the form), and to which links. */
export interface ConsentRecord extends ConsentGiven {
  readonly at: Date;
}

export interface RegistrationRecord {
  readonly tokenId: string;
  readonly tokenNickname: string | null;
  readonly item: KnowledgeRef;
  readonly userId: string;
  readonly newUser: boolean;
  readonly at: Date;
  /** Null or absent when the form asked for no consent (no terms or privacy linked), or no form was involved. */
  readonly consent?: ConsentRecord | null;
}

export interface RegistrationRepository {
  record(entry: RegistrationRecord, tx: Tx): Promise<void>;
}

export interface EmailLink {
  readonly id: string;
  readonly userId: string;
  readonly purpose: EmailLinkPurpose;
  readonly item: KnowledgeRef | null;
  /** The token the person registered with (null once that token is deleted). */
  readonly tokenId: string | null;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
  readonly revokedAt: Date | null;
  /** The consent given on the form that sent this link: recorded with the enrolment the link makes. */
  readonly consent?: ConsentRecord | null;
}

export interface EmailLinkRepository {
  /** Stores only the SHA-256 digest of the secret; revokes the user's earlier live links of the same purpose. */
  issue(
    input: { userId: string; purpose: EmailLinkPurpose; item: KnowledgeRef | null; tokenId: string | null; secretDigest: string; expiresAt: Date; now: Date; consent?: ConsentRecord | null },
    tx: Tx,
  ): Promise<EmailLink>;
  findByDigest(secretDigest: string, tx?: Tx): Promise<EmailLink | null>;
  /** Marks the link used if it is still live at `now`; false when someone else used it first. */
  consume(id: string, now: Date, tx: Tx): Promise<boolean>;
  revokeForUser(userId: string, tx?: Tx): Promise<number>;
  /** True when the user was sent an invitation and has not accepted any. */
  invitationPending(userId: string, tx?: Tx): Promise<boolean>;
}

export type MailTemplate = 'invitation' | 'sign-in-link' | 'admin-notification' | 'admin-digest' | 'seat-limit-alert';

export interface OutgoingMail {
  readonly to: string;
  readonly template: MailTemplate;
  /** Data the template renders; plain JSON. */
  readonly data: Record<string, unknown>;
}

export interface OutboxPort {
  /** Writes the message in `tx`; it is sent only after the transaction commits. */
  enqueue(mail: OutgoingMail, tx: Tx): Promise<void>;
}

export interface SettingsRepository {
  portalEnabled(): Promise<boolean>;
  setPortalEnabled(enabled: boolean): Promise<void>;
  /** The registration page's branding (defaults when never set); also used by emails. */
  branding(): Promise<Branding>;
  setBranding(branding: Branding): Promise<void>;
}

/** How the organisation styles its public registration page and its emails. Validated before it is stored. */
export interface Branding {
  readonly logoUrl: string | null;
  /** #rrggbb */
  readonly primaryColour: string;
  /** #rrggbb */
  readonly accentColour: string;
  readonly heading: string | null;
  /** Plain text; line breaks are kept. */
  readonly introduction: string | null;
  readonly termsUrl: string | null;
  readonly privacyUrl: string | null;
  /** Shown after registering, instead of the default "check your inbox" text. */
  readonly successMessage: string | null;
}

export const DEFAULT_BRANDING: Branding = {
  logoUrl: null,
  primaryColour: '#1f5fbf',
  accentColour: '#ffbf47',
  heading: null,
  introduction: null,
  termsUrl: null,
  privacyUrl: null,
  successMessage: null,
};

/** An enrolment made through a token: what admin notifications and reports are told. */
export interface ExternalEnrolment {
  readonly user: { readonly id: string; readonly email: string; readonly firstName: string; readonly lastName: string };
  readonly newUser: boolean;
  readonly item: { readonly ref: KnowledgeRef; readonly title: string };
  readonly tokenId: string;
  readonly tokenNickname: string | null;
  readonly at: Date;
}

/**
 * Told of every external enrolment inside the registration's transaction, so whatever it writes
 * (e.g. an admin notification in the outbox) commits or rolls back with the enrolment.
 */
export interface EnrolmentListener {
  enrolled(enrolment: ExternalEnrolment, tx: Tx): Promise<void>;
}

/** SHA-256 of an emailed link secret. */
export interface SecretHasher {
  hash(secret: string): string;
}
