import type { ImportCounts, PlannedRow } from '../tokens/token-import.js';
import type { Tx } from './unit-of-work.port.js';

export interface ImportSummary {
  readonly id: string;
  readonly digest: string;
  readonly fileName: string;
  readonly createdBy: string;
  readonly createdByName: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly state: 'planned' | 'applied';
  readonly appliedAt: Date | null;
  readonly appliedByName: string | null;
  readonly columns: readonly string[];
  readonly counts: ImportCounts;
  readonly rowCount: number;
}

export interface NewImport {
  readonly fileName: string;
  readonly createdBy: string;
  readonly createdByName: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** Dry-run plans kept server-side between the dry run and the apply: a summary and the planned rows in chunks. */
export interface TokenImportStore {
  create(plan: NewImport): Promise<string>;
  /** Appends the next chunk of planned rows (in file order). */
  appendRows(importId: string, seq: number, rows: readonly PlannedRow[]): Promise<void>;
  /** Completes the plan once the whole file was read: its digest, header and counts. */
  finish(importId: string, digest: string, columns: readonly string[], counts: ImportCounts, rowCount: number): Promise<void>;
  /** Removes a plan whose file turned out unreadable. */
  discard(importId: string): Promise<void>;
  find(id: string): Promise<ImportSummary | null>;
  /** Reads and locks the summary until `tx` ends (two admins applying at once queue up here). */
  lock(id: string, tx: Tx): Promise<ImportSummary | null>;
  /** The planned rows, chunk by chunk, in file order; without their original cells (empty) unless `withCells`. */
  chunks(id: string, tx?: Tx, withCells?: boolean): AsyncIterable<{ readonly seq: number; readonly rows: readonly PlannedRow[] }>;
  replaceChunk(id: string, seq: number, rows: readonly PlannedRow[], tx?: Tx): Promise<void>;
  markApplied(id: string, by: { id: string; name: string }, at: Date, tx: Tx): Promise<void>;
  /** Ids of applied imports of a file with this digest. */
  appliedWithDigest(digest: string, tx?: Tx): Promise<{ id: string; appliedAt: Date }[]>;
  /** Serialises applies of the same file (a transaction-scoped lock). */
  lockDigest(digest: string, tx: Tx): Promise<void>;
  /** Removes plans never applied that expired before `now`; returns how many. */
  removeExpired(now: Date): Promise<number>;
}
