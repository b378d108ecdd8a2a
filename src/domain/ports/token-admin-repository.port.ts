import type { KnowledgeRef, KnowledgeType } from '../shared/knowledge.js';
import type { Token, TokenPatch, TokenStatus } from '../tokens/token.js';
import type { NewToken } from './token-repository.port.js';
import type { Tx } from './unit-of-work.port.js';

/** Free-text search: a nickname substring, the whole code (any spelling), or tokens of these items. */
export interface TokenTextSearch {
  readonly nickname: string;
  /** The query read as a code (see normaliseCode), when it can be one. */
  readonly normalisedCode: string | null;
  /** Items whose title matched. */
  readonly items: readonly KnowledgeRef[];
}

export interface TokenQuery {
  readonly item?: KnowledgeRef;
  readonly itemType?: KnowledgeType;
  /** Derived status at `now`. */
  readonly status?: TokenStatus;
  readonly text?: TokenTextSearch;
  readonly now: Date;
  /** 1–100. */
  readonly limit: number;
  /** Keyset pagination, newest first: only tokens whose id is below this one. */
  readonly beforeId?: string;
}

export interface TokenPage {
  readonly tokens: Token[];
  /** Tokens matching the filters, over all pages. */
  readonly total: number;
  readonly hasMore: boolean;
}

export interface TokenUpdate extends TokenPatch {
  readonly updatedBy: string | null;
  readonly updatedAt: Date;
}

/** The admin side of token storage. */
export interface TokenAdminRepository {
  /** Null when the code is taken (by any token of any item). */
  insert(token: NewToken, tx?: Tx): Promise<Token | null>;
  findById(id: string, tx?: Tx): Promise<Token | null>;
  /** Reads the token and locks its row until `tx` ends, so concurrent edits and claims queue up. */
  lockById(id: string, tx: Tx): Promise<Token | null>;
  update(id: string, update: TokenUpdate, tx: Tx): Promise<Token | null>;
  /** Deletes the row: its code digest and ciphertext go with it. False when it was already gone. */
  deleteById(id: string, tx: Tx): Promise<boolean>;
  /** Deletes every token of the item (codes and all) and returns them as they were, for the audit log. */
  deleteAllForItem(item: KnowledgeRef, tx: Tx): Promise<Token[]>;
  listForItem(item: KnowledgeRef): Promise<Token[]>;
  search(query: TokenQuery): Promise<TokenPage>;
}
