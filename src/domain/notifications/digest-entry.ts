import type { KnowledgeRef } from '../shared/knowledge.js';

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
