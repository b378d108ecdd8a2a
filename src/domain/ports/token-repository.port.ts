import type { KnowledgeRef } from '../shared/knowledge.js';
import type { Token } from '../tokens/token.js';
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
  /** Absent: enabled. A copy made for a cloned item starts disabled. */
  readonly enabled?: boolean;
  /** The source token of a copy made for a cloned item. */
  readonly copiedFrom?: string | null;
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
