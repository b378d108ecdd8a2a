import type { FileRefusal } from '../tokens/token-import.js';

/** One record of an uploaded CSV file: its cells, or the problem that ends the file's reading. */
export type CsvRecord = { readonly line: number; readonly cells: readonly string[] } | { readonly line: number; readonly problem: FileRefusal };

/**
 * An uploaded CSV file, read as a stream (never whole in memory): its records in order, each with
 * the line it starts on. The reader stops at the first problem (encoding, size, syntax) and yields it.
 */
export interface CsvUpload {
  readonly fileName: string;
  records(): AsyncIterable<CsvRecord>;
  /** SHA-256 (hex) of the bytes read; complete once records() has finished. */
  digest(): string;
}
