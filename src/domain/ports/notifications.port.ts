/* Ports of mail delivery administration and admin notifications (implemented in adapters/). */
import type { KnowledgeRef } from '../shared/knowledge.js';
import type { NotificationSettings } from '../notifications/notification-settings.js';
import type { LocalDay } from '../notifications/digest.js';
import type { MailTemplate } from './repositories.port.js';
import type { Tx } from './unit-of-work.port.js';

export interface NotificationSettingsRepository {
  /** The item's settings (defaults: off) — on `tx` when given, so a registration can read them. */
  get(item: KnowledgeRef, tx?: Tx): Promise<NotificationSettings>;
  save(item: KnowledgeRef, settings: NotificationSettings, actorId: string): Promise<void>;
  /** Forgets the item's settings (the item was deleted). True when there were any. */
  deleteForItem(item: KnowledgeRef, tx?: Tx): Promise<boolean>;
}

/** One external enrolment waiting for its item's daily digest: a snapshot taken when it happened. */
export interface DigestEntry {
  readonly id: string;
  readonly item: KnowledgeRef;
  readonly itemTitle: string;
  readonly user: { readonly id: string; readonly email: string; readonly firstName: string; readonly lastName: string };
  readonly newUser: boolean;
  readonly tokenId: string | null;
  readonly tokenNickname: string | null;
  readonly at: Date;
}

export type NewDigestEntry = Omit<DigestEntry, 'id'>;

export interface PendingDigestEntry {
  readonly item: KnowledgeRef;
  readonly at: Date;
}

export interface ClaimedDigest {
  readonly digestId: string;
  /** 1 for a day's digest; 2, 3… for enrolments that committed after it was sent (rare). */
  readonly part: number;
  readonly entries: readonly DigestEntry[];
}

export interface DigestStore {
  /** In the enrolment's transaction. */
  add(entry: NewDigestEntry, tx: Tx): Promise<void>;
  /** Entries not yet in a digest that happened before `before` (oldest first, at most `limit`). */
  pending(before: Date, limit: number): Promise<PendingDigestEntry[]>;
  /**
   * Claims the digest of `item` for `day` — the entries not yet in a digest with `from <= at < to` —
   * under a row unique per item, day and part, so two instances never send the same entries. Null
   * when another instance holds or has sent it, or nothing is left.
   */
  claim(input: { item: KnowledgeRef; day: LocalDay; from: Date; to: Date; now: Date }, tx: Tx): Promise<ClaimedDigest | null>;
  /** Records how many messages the claimed digest became (0: notifications were switched off meanwhile). */
  recordSent(digestId: string, recipients: number, tx: Tx): Promise<void>;
}

export interface MailQueueStatus {
  /** Waiting or being sent now. */
  readonly queued: number;
  /** Of the queued: waiting for another try after an error. */
  readonly retrying: number;
  readonly sent: number;
  readonly failed: number;
  readonly oldestQueuedAt: Date | null;
  /** The newest error among messages still waiting for another try. */
  readonly lastRetryError: string | null;
}

export interface FailedMail {
  readonly id: string;
  readonly to: string;
  readonly template: MailTemplate;
  readonly attempts: number;
  readonly error: string;
  readonly failedAt: Date | null;
  readonly createdAt: Date;
}

export interface MailQueueAdmin {
  status(): Promise<MailQueueStatus>;
  /** Newest first. */
  latestFailures(limit: number): Promise<FailedMail[]>;
  /** Puts one failed message back in the queue, due now, with its tries reset. False unless it was failed. */
  retry(id: string): Promise<boolean>;
  /** Every failed message back in the queue; how many. */
  retryAllFailed(): Promise<number>;
}
