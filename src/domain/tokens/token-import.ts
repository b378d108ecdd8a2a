/*
 * A CSV import of tokens, decided row by row: the header names the columns as the JSON API names the
 * fields (any order); each row is planned as a create, an update (with before → after), unchanged,
 * or an error with its reason, through the same rules as the panel (token-rules.ts). Pure: the
 * application looks up the facts a row needs (its token, its item) and hands them in.
 */
import { ErrorCodes, refuse, refuseWith, type Refusal } from '../shared/errors.js';
import { isKnowledgeType, sameItem, type KnowledgeItem, type KnowledgeRef } from '../shared/knowledge.js';
import { err, ok, type Result } from '../shared/result.js';
import { expiryDateInZone } from './expiry.js';
import { normaliseCode } from './token-code.js';
import { checkNewToken, checkTokenChange, readMaxUses, type TokenChangeInput } from './token-rules.js';
import { hasChanges, type Token, type TokenPatch } from './token.js';

export const IMPORT_MAX_ROWS = 50_000;
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
/** How long a dry run's plan may be applied. */
export const IMPORT_PLAN_TTL_MS = 24 * 3_600_000;

/** Columns that write to tokens, named as the JSON API names the fields. */
export const IMPORT_COLUMNS = ['id', 'itemType', 'itemId', 'itemTitle', 'nickname', 'code', 'expiresOn', 'maxUses', 'status'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
/** Columns an export or a results file carries that an import reads past, so such files upload as they are. */
export const READ_ONLY_COLUMNS = ['uses', 'deepLink', 'createdAt', 'lastUsedAt', 'batch', 'result', 'error'] as const;

export interface ImportHeader {
  /** The header as written (trimmed). */
  readonly columns: readonly string[];
  readonly index: Readonly<Partial<Record<ImportColumn, number>>>;
}

export type FileRefusal = Refusal & { readonly data: { readonly line: number } & Readonly<Record<string, string | number | boolean | null>> };
const fileRefusal = (code: Refusal['code'], line: number, data: Record<string, string | number> = {}): FileRefusal =>
  refuseWith(code, { line, ...data }) as FileRefusal;

/** The header row (line 1): known columns only, each once, enough to find or make a token. */
export function readHeader(cells: readonly string[], line = 1): Result<ImportHeader, FileRefusal> {
  const columns = cells.map((c) => c.trim());
  if (columns.length === 1 && /[;\t|]/.test(columns[0]!)) return err(fileRefusal(ErrorCodes.IMPORT_DELIMITER, line, { found: /;/.test(columns[0]!) ? ';' : /\t/.test(columns[0]!) ? 'tab' : '|' }));
  const index: Partial<Record<ImportColumn, number>> = {};
  const seen = new Set<string>();
  for (const [i, name] of columns.entries()) {
    if (seen.has(name)) return err(fileRefusal(ErrorCodes.IMPORT_COLUMN_DUPLICATE, line, { column: name }));
    seen.add(name);
    if ((IMPORT_COLUMNS as readonly string[]).includes(name)) index[name as ImportColumn] = i;
    else if (!(READ_ONLY_COLUMNS as readonly string[]).includes(name)) return err(fileRefusal(ErrorCodes.IMPORT_COLUMN_UNKNOWN, line, { column: name || `#${i + 1}` }));
  }
  const findsItem = index.itemType !== undefined && (index.itemId !== undefined || index.itemTitle !== undefined);
  if (index.id === undefined && !findsItem) return err(fileRefusal(ErrorCodes.IMPORT_HEADER_INVALID, line));
  return ok({ columns, index });
}

export type RowValues = Readonly<Partial<Record<ImportColumn, string>>>;

/** A cell as an export or a results file wrote it: the `'` that kept a formula from running is dropped again. */
const unguarded = (cell: string): string => (/^'[=+\-@\t\r\n]/.test(cell) ? cell.slice(1) : cell);

/** A row's cells by column; a column absent from the header is absent here (and changes nothing). */
export function rowValues(header: ImportHeader, cells: readonly string[]): RowValues {
  const out: Partial<Record<ImportColumn, string>> = {};
  for (const [name, i] of Object.entries(header.index) as [ImportColumn, number][]) out[name] = unguarded((cells[i] ?? '').trim());
  return out;
}

const filled = (v: string | undefined): v is string => v !== undefined && v !== '';

/** The item a row names, when it names one: a reference by id, a title to look up, or an error. */
export type ItemNamed = { readonly ref: KnowledgeRef } | { readonly type: KnowledgeRef['type']; readonly title: string } | null;
export function itemNamed(values: RowValues): Result<ItemNamed, Refusal> {
  if (!filled(values.itemType)) return ok(null);
  if (!isKnowledgeType(values.itemType)) return err(refuse(ErrorCodes.IMPORT_ITEM_TYPE_INVALID));
  if (filled(values.itemId)) return ok({ ref: { type: values.itemType, id: values.itemId } });
  if (filled(values.itemTitle)) return ok({ type: values.itemType, title: values.itemTitle });
  return ok(null);
}

/** The normalised code a row names (for lookups and duplicates), or null. */
export const rowCode = (values: RowValues): string | null => (filled(values.code) ? normaliseCode(values.code) : null);

export type PlannedAction = 'create' | 'update' | 'unchanged' | 'error';

export interface FieldChange {
  readonly field: 'nickname' | 'expiresOn' | 'maxUses' | 'status';
  readonly before: string | null;
  readonly after: string | null;
}

/** A planned row as stored between the dry run and the apply: plain JSON (instants as ISO strings). */
export interface PlannedRow {
  readonly line: number;
  readonly cells: readonly string[];
  readonly action: PlannedAction;
  readonly error?: { readonly code: string; readonly data?: Refusal['data'] };
  /** The token updated (or left unchanged); after the apply, also the token created. */
  readonly tokenId?: string;
  /** The token's last change when planned: the apply refuses if it changed since. */
  readonly version?: string;
  readonly create?: {
    readonly item: KnowledgeRef;
    readonly nickname: string | null;
    readonly code: { readonly normalised: string; readonly display: string } | null;
    readonly expiresAt: string | null;
    readonly maxUses: number | null;
    readonly enabled: boolean;
  };
  readonly patch?: { readonly nickname?: string | null; readonly expiresAt?: string | null; readonly maxUses?: number | null; readonly enabled?: boolean };
  readonly changes?: readonly FieldChange[];
}

/** What the application found for a row. */
export interface RowFacts {
  readonly line: number;
  readonly cells: readonly string[];
  readonly values: RowValues;
  /** The token the row's id, code, or earlier import of the same line names; `missing` when an id names none. */
  readonly target: { readonly token: Token; readonly by: 'id' | 'code' | 'previous'; readonly item: KnowledgeItem | null } | 'missing' | null;
  /** The item the row names, looked up (`ambiguous`: several items have that title). */
  readonly item: KnowledgeItem | null | 'ambiguous';
  /** Line of an earlier row with the same code, or that changes the same token. */
  readonly duplicateCodeOf?: number;
  readonly duplicateTokenOf?: number;
}

const erred = (f: RowFacts, e: Refusal): PlannedRow => ({ line: f.line, cells: f.cells, action: 'error', error: { code: e.code, ...(e.data && { data: e.data }) } });

function enabledOf(status: string | undefined, creating: boolean): Result<boolean | undefined, Refusal> {
  if (!filled(status)) return ok(undefined);
  const s = status.toLowerCase();
  if (s === 'active') return ok(true);
  if (s === 'disabled') return ok(false);
  // What an export shows for a live token past its date or limit: its switch stays as it is.
  if (!creating && (s === 'expired' || s === 'used_up')) return ok(undefined);
  return err(refuse(ErrorCodes.IMPORT_STATUS_INVALID));
}

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** One row's plan. `timeZone` is the portal's, read once for the whole file. */
export function planRow(f: RowFacts, now: Date, timeZone: string): PlannedRow {
  const v = f.values;
  if (f.duplicateCodeOf !== undefined) return erred(f, refuseWith(ErrorCodes.IMPORT_DUPLICATE_CODE, { line: f.duplicateCodeOf }));
  if (f.target === 'missing') return erred(f, refuse(ErrorCodes.TOKEN_NOT_FOUND));
  const named = itemNamed(v);
  if (!named.ok) return erred(f, named.error);
  const tz = () => timeZone;

  if (f.target) {
    const { token, by } = f.target;
    const namedRef = named.value && 'ref' in named.value ? named.value.ref : f.item && f.item !== 'ambiguous' ? f.item.ref : null;
    if (namedRef && !sameItem(namedRef, token.item)) return erred(f, refuse(by === 'code' ? ErrorCodes.TOKEN_CODE_TAKEN : ErrorCodes.IMPORT_ITEM_MISMATCH));
    if (f.duplicateTokenOf !== undefined) return erred(f, refuseWith(ErrorCodes.IMPORT_DUPLICATE_TOKEN, { line: f.duplicateTokenOf }));
    const code = rowCode(v);
    if (code !== null && token.code !== undefined && code !== normaliseCode(token.code)) return erred(f, refuse(ErrorCodes.IMPORT_CODE_MISMATCH));
    const enabled = enabledOf(v.status, false);
    if (!enabled.ok) return erred(f, enabled.error);
    const input: TokenChangeInput = {
      ...(v.nickname !== undefined && { nickname: v.nickname }),
      ...(v.expiresOn !== undefined && { expiresOn: v.expiresOn }),
      ...(v.maxUses !== undefined && { maxUses: readMaxUses(v.maxUses) ?? null }),
      ...(enabled.value !== undefined && { enabled: enabled.value }),
    };
    const checked = checkTokenChange(token, f.target.item, input, now, tz);
    if (!checked.ok) return erred(f, checked.error);
    const base = { line: f.line, cells: f.cells, tokenId: token.id, version: iso(token.updatedAt ?? token.createdAt)! };
    if (!hasChanges(checked.value)) return { ...base, action: 'unchanged' };
    return { ...base, action: 'update', patch: patchJson(checked.value), changes: changesOf(token, checked.value, timeZone) };
  }

  if (!named.value) return erred(f, refuse(ErrorCodes.IMPORT_ITEM_REQUIRED));
  if (f.item === 'ambiguous') return erred(f, refuse(ErrorCodes.IMPORT_ITEM_AMBIGUOUS));
  const enabled = enabledOf(v.status, true);
  if (!enabled.ok) return erred(f, enabled.error);
  const checked = checkNewToken(f.item, { nickname: v.nickname ?? null, customCode: v.code ?? null, expiresOn: v.expiresOn ?? null, maxUses: readMaxUses(v.maxUses) ?? null }, now, tz);
  if (!checked.ok) return erred(f, checked.error);
  const c = checked.value;
  return {
    line: f.line,
    cells: f.cells,
    action: 'create',
    create: {
      item: c.item,
      nickname: c.nickname,
      code: c.code ? { normalised: c.code.normalised, display: c.code.display } : null,
      expiresAt: iso(c.expiresAt),
      maxUses: c.maxUses,
      enabled: enabled.value ?? true,
    },
  };
}

function patchJson(p: TokenPatch): NonNullable<PlannedRow['patch']> {
  return {
    ...(p.nickname !== undefined && { nickname: p.nickname }),
    ...(p.expiresAt !== undefined && { expiresAt: iso(p.expiresAt) }),
    ...(p.maxUses !== undefined && { maxUses: p.maxUses }),
    ...(p.enabled !== undefined && { enabled: p.enabled }),
  };
}

/** A stored patch back as the domain's (instants as Dates). */
export function patchOf(p: NonNullable<PlannedRow['patch']>): TokenPatch {
  return {
    ...(p.nickname !== undefined && { nickname: p.nickname }),
    ...(p.expiresAt !== undefined && { expiresAt: p.expiresAt === null ? null : new Date(p.expiresAt) }),
    ...(p.maxUses !== undefined && { maxUses: p.maxUses }),
    ...(p.enabled !== undefined && { enabled: p.enabled }),
  };
}

const day = (d: Date | null | undefined, tz: string): string | null => (d ? expiryDateInZone(d, tz) : null);
const statusWord = (enabled: boolean): string => (enabled ? 'active' : 'disabled');

function changesOf(t: Token, p: TokenPatch, tz: string): FieldChange[] {
  const out: FieldChange[] = [];
  if (p.nickname !== undefined) out.push({ field: 'nickname', before: t.nickname, after: p.nickname });
  if (p.expiresAt !== undefined) out.push({ field: 'expiresOn', before: day(t.expiresAt, tz), after: day(p.expiresAt, tz) });
  if (p.maxUses !== undefined) out.push({ field: 'maxUses', before: t.maxUses === null ? null : String(t.maxUses), after: p.maxUses === null ? null : String(p.maxUses) });
  if (p.enabled !== undefined) out.push({ field: 'status', before: statusWord(t.enabled), after: statusWord(p.enabled) });
  return out;
}

export interface ImportCounts {
  create: number;
  update: number;
  unchanged: number;
  error: number;
}

export const noCounts = (): ImportCounts => ({ create: 0, update: 0, unchanged: 0, error: 0 });
