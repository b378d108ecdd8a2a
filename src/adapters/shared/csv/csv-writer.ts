/*
 * The one CSV writer of the plugin's exports: RFC 4180 (comma, CRLF, quotes doubled, a field quoted
 * when it holds a comma, a quote, CR or LF), the formula-injection rule on text cells (a `'` before
 * any text starting with =, +, -, @, tab, CR or LF, so a spreadsheet shows it as text), numbers left
 * as numbers. Two dialects: plain UTF-8, and Excel's (the same bytes after a UTF-8 byte-order mark,
 * without which Excel reads UTF-8 as the local code page). Rows are written as they come, in chunks:
 * an export never holds its data set in memory.
 */
import { Readable } from 'node:stream';

export type CsvDialect = 'utf8' | 'excel';
export const CSV_DIALECTS: readonly CsvDialect[] = ['utf8', 'excel'];
export const UTF8_BOM = '\uFEFF';

/** A cell: text (formula-escaped), a number or boolean (as is), or empty. */
export type CsvCell = string | number | boolean | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r\n]/;

/** A text value made safe for spreadsheets: a leading `'` when it would start a formula. */
export const formulaSafe = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

/**
 * One field, quoted when RFC 4180 needs it (and when it starts or ends with a space, which some
 * readers would trim). Strings are text cells (formula rule applied); numbers stay numbers.
 */
export function csvField(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  const text = formulaSafe(cell);
  return NEEDS_QUOTES.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated. */
export const csvLine = (cells: readonly CsvCell[]): string => `${cells.map(csvField).join(',')}\r\n`;

/** About this many characters are gathered before a chunk is handed on. */
const CHUNK_CHARS = 16 * 1024;

/**
 * The CSV as a byte stream: the header row, then each record as `rows` yields it. Pulls rows only
 * as fast as the reader takes chunks (backpressure reaches the database cursor); an error from
 * `rows` destroys the stream, so a reader never mistakes a broken export for a complete one.
 */
export function csvStream<T>(header: readonly string[], rows: AsyncIterable<T>, toCells: (row: T) => readonly CsvCell[], dialect: CsvDialect = 'utf8'): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    let chunk = (dialect === 'excel' ? UTF8_BOM : '') + csvLine(header);
    for await (const row of rows) {
      chunk += csvLine(toCells(row));
      if (chunk.length >= CHUNK_CHARS) {
        yield Buffer.from(chunk, 'utf8');
        chunk = '';
      }
    }
    if (chunk) yield Buffer.from(chunk, 'utf8');
  }
  return Readable.from(chunks(), { objectMode: false });
}
