import type { KnowledgeRef } from '../shared/knowledge.js';
import type { LocalDay } from '../notifications/digest.js';
import type { Tx } from './unit-of-work.port.js';
import type { NewDigestEntry, PendingDigestEntry, ClaimedDigest } from '../notifications/digest-entry.js';

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
