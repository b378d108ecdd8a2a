/*
 * CSV as RFC 4180 writes it (CRLF line ends, fields with a comma, quote, CR or LF quoted, quotes
 * doubled), with the formula-injection rule on text cells: a text starting with `=`, `+`, `-`, `@`,
 * tab, CR or LF gets a leading `'` so a spreadsheet shows it as text. Numbers stay numbers.
 */
export type CsvDialect = 'utf8' | 'excel';

/** Excel reads a file as UTF-8 only when it starts with a byte-order mark. */
export const preamble = (dialect: CsvDialect): string => (dialect === 'excel' ? '\uFEFF' : '');

const FORMULA_START = /^[=+\-@\t\r\n]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function textCell(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function numberCell(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '' : String(value);
}

export const csvLine = (cells: readonly string[]): string => `${cells.join(',')}\r\n`;
