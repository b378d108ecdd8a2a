import type { AuditEntry, NewAuditEntry } from '../audit/audit.js';
import type { KnowledgeRef } from '../shared/knowledge.js';
import type { Tx } from './unit-of-work.port.js';

export interface AuditQuery {
  readonly item?: KnowledgeRef;
  readonly tokenId?: string;
  /** 1–100. */
  readonly limit: number;
  /** Keyset pagination, newest first. */
  readonly beforeId?: string;
}

export interface AuditRepository {
  append(entries: readonly NewAuditEntry[], tx?: Tx): Promise<void>;
  list(query: AuditQuery): Promise<{ entries: AuditEntry[]; hasMore: boolean }>;
}
