import type { KnowledgeRef } from '../shared/knowledge.js';
import type { Token } from '../tokens/token.js';
import type { Tx } from './unit-of-work.port.js';

/** What copying a cloned item's tokens reads (the copies themselves are inserted as new tokens). */
export interface TokenCopyStore {
  /** Holds other changes to the item's tokens (and a second copy run) back until `tx` ends. */
  lockItem(item: KnowledgeRef, tx: Tx): Promise<void>;
  /** The item's tokens that are copied to a clone: every token outside a batch of codes, oldest first. */
  copyable(item: KnowledgeRef, tx: Tx): Promise<Token[]>;
  /** Ids of the source tokens the item already has a copy of. */
  copiedInto(item: KnowledgeRef, tx: Tx): Promise<Set<string>>;
  /** How many of the item's tokens are copies still disabled (what its Enrolment panel tells). */
  copySummary(item: KnowledgeRef): Promise<{ readonly disabledCopies: number }>;
}
