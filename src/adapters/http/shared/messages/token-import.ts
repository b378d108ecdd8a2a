import { ErrorCodes } from '../../../../domain/shared/errors.js';
import { errors } from './errors.js';

type Data = Readonly<Record<string, string | number | boolean | null>> | undefined;

/** A problem of an import file or row as a sentence: the catalogue's words plus the line, column or earlier row it is about. */
export function importProblem(code: string, data: Data, where: 'file' | 'row' = 'file'): string {
  const base = (errors as Record<string, string>)[code] ?? code;
  const line = typeof data?.line === 'number' ? data.line : null;
  switch (code) {
    case ErrorCodes.IMPORT_COLUMN_UNKNOWN:
      return `Line ${line ?? 1}: unknown column “${String(data?.column ?? '')}”. Columns are id, itemType, itemId, itemTitle, nickname, code, expiresOn, maxUses and status.`;
    case ErrorCodes.IMPORT_COLUMN_DUPLICATE:
      return `Line ${line ?? 1}: the column “${String(data?.column ?? '')}” is named twice.`;
    case ErrorCodes.IMPORT_DUPLICATE_CODE:
    case ErrorCodes.IMPORT_DUPLICATE_TOKEN:
      return `${base} (line ${line})`;
    case ErrorCodes.IMPORT_MALFORMED:
      return typeof data?.cells === 'number' ? `Line ${line}: this row has ${data.cells} cells where the header has ${String(data.expected)}.` : `Line ${line}: ${base}`;
    case ErrorCodes.IMPORT_DELIMITER:
      return `Line ${line ?? 1}: the columns are separated by “${String(data?.found ?? ';')}”, not by commas. Save the file as comma-separated CSV (UTF-8).`;
    default:
      return where === 'file' && line !== null ? `Line ${line}: ${base}` : base;
  }
}

/** The Tokens page's bulk upload, its dry run and its results. */
export const tokenImport = {
  uploadHeading: 'Bulk upload',
  uploadIntro: 'Create or update many tokens from a CSV file (UTF-8, comma-separated, at most 50,000 rows and 5 MB). Nothing changes until you have checked the dry run and applied it.',
  template: 'Download the template',
  fileLabel: 'CSV file',
  check: 'Check file (dry run)',
  needsScript: 'Uploading needs JavaScript in this browser; the JSON API takes the same file (POST /api/self-registration/v1/token-imports).',
  export: 'Export these tokens (CSV)',
  title: 'Bulk upload: dry run',
  appliedTitle: 'Bulk upload: applied',
  summary: (file: string, rows: number) => `“${file}”: ${rows.toLocaleString('en-GB')} ${rows === 1 ? 'row' : 'rows'} checked. Nothing has been changed yet.`,
  appliedSummary: (file: string, when: string, who: string | null) => `“${file}” was applied ${when}${who ? ` by ${who}` : ''}.`,
  counts: { create: 'to create', update: 'to update', unchanged: 'unchanged', error: 'with errors' },
  appliedCounts: { create: 'created', update: 'updated', unchanged: 'unchanged', error: 'with errors' },
  apply: (n: number) => `Apply: change ${n.toLocaleString('en-GB')} ${n === 1 ? 'token' : 'tokens'}`,
  nothingToApply: 'Nothing to apply: every row matches the tokens as they are.',
  fixFirst: 'Fix the rows with errors first: download the results, correct those rows and upload the file again. Nothing is applied while any row has an error.',
  results: 'Download the results (CSV)',
  expires: (when: string) => `This dry run can be applied until ${when}.`,
  line: 'Line',
  outcome: 'Outcome',
  details: 'Details',
  action: { create: 'Create', update: 'Update', unchanged: 'Unchanged', error: 'Error' } as Record<string, string>,
  shown: (shown: number, total: number) => `Showing the first ${shown.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} rows; the results file has them all.`,
  backToTokens: 'Back to tokens',
  uploadAnother: 'Upload another file',
  applied: 'Import applied.',
} as const;
