import type { KnowledgeRef } from '../shared/knowledge.js';
import type { Token, TokenPatch, TokenStatus } from '../tokens/token.js';
import type { NewToken } from './token-repository.port.js';
import type { Tx } from './unit-of-work.port.js';

export interface NewBulkToken extends NewToken {
  readonly enabled: boolean;
  readonly batchId?: string | null;
  readonly importId?: string | null;
  readonly importLine?: number | null;
}

/** Tokens many at a time: set-based reads and writes for imports and batches. */
export interface TokenBulkRepository {
  findByIds(ids: readonly string[], tx?: Tx): Promise<Token[]>;
  findByCodes(normalisedCodes: readonly string[], tx?: Tx): Promise<Token[]>;
  /** Tokens created by these imports at these lines. */
  findImported(importIds: readonly string[], lines: readonly number[], tx?: Tx): Promise<{ line: number; token: Token }[]>;
  lockByIds(ids: readonly string[], tx: Tx): Promise<Token[]>;
  /** Inserts in one statement; a token whose code is taken is left out of the answer. */
  insertMany(tokens: readonly NewBulkToken[], tx: Tx): Promise<Token[]>;
  updateMany(changes: readonly { id: string; patch: TokenPatch }[], by: string | null, at: Date, tx: Tx): Promise<void>;
  /**
   * One page of an item's tokens that belong to no batch, newest first: filtered by derived status
   * at `now` and by a nickname or whole-code match.
   */
  pageOfItem(item: KnowledgeRef, query: { now: Date; status?: TokenStatus; nickname?: string; normalisedCode?: string | null; limit: number; offset: number }): Promise<{ tokens: Token[]; total: number }>;
  /** Codes already taken among these (normalised), for generating fresh ones. */
  takenCodes(normalisedCodes: readonly string[], tx?: Tx): Promise<Set<string>>;
}

export interface TokenBatch {
  readonly id: string;
  readonly item: KnowledgeRef;
  readonly nickname: string | null;
  readonly size: number;
  readonly expiresAt: Date | null;
  readonly maxUses: number | null;
  readonly createdBy: string | null;
  readonly createdByName: string | null;
  readonly createdAt: Date;
}

/** A batch with how its tokens stand now. */
export interface BatchSummary extends TokenBatch {
  readonly remaining: number;
  readonly enabled: number;
  readonly uses: number;
  readonly lastUsedAt: Date | null;
}

export interface TokenBatchRepository {
  create(batch: Omit<TokenBatch, 'id' | 'createdAt'>, tx: Tx): Promise<TokenBatch>;
  find(id: string, tx?: Tx): Promise<TokenBatch | null>;
  /** Switches every token of the batch; returns how many changed. */
  setEnabled(id: string, enabled: boolean, by: string | null, at: Date, tx: Tx): Promise<number>;
  /** Deletes the batch and its tokens (codes and all); returns how many tokens went. */
  delete(id: string, tx: Tx): Promise<number>;
  /** The batch's tokens in creation order, a page at a time. */
  tokens(id: string): AsyncIterable<Token[]>;
  summariesForItem(item: KnowledgeRef, now: Date): Promise<BatchSummary[]>;
}
