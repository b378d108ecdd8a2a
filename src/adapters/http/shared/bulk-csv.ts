/* The CSV files of tokens in bulk, streamed (formula-safe): exports, results files, a batch's codes, the template. */
import { once } from 'node:events';
import type { Response } from 'express';
import { expiryDateInZone } from '../../../domain/tokens/expiry.js';
import type { PlannedRow } from '../../../domain/tokens/token-import.js';
import type { Token } from '../../../domain/tokens/token.js';
import type { TokenWithItem } from '../../../application/tokens/token-view.js';
import type { Routes } from '../../../manifest/routes.js';
import { csvLine, type CsvCell as CsvValue } from '../../shared/csv/csv-writer.js';
import { deepLink } from './deep-link.js';
import { importProblem } from './messages/token-import.js';

/** Columns of an export: what an import reads back (so an export uploads as it is), plus facts it reads past. */
export const EXPORT_COLUMNS = ['id', 'itemType', 'itemId', 'itemTitle', 'nickname', 'code', 'deepLink', 'status', 'expiresOn', 'maxUses', 'uses', 'lastUsedAt', 'createdAt'];

export const TEMPLATE_CSV = `${csvLine(['itemType', 'itemId', 'itemTitle', 'nickname', 'code', 'expiresOn', 'maxUses', 'status', 'id'])}${csvLine(['topic', '12', '', 'Spring newsletter', '', '2027-06-30', 100, 'active', ''])}`;

/** Starts a CSV download and writes `lines` with backpressure; a client that goes away ends it. */
export async function sendCsv(res: Response, fileName: string, lines: AsyncIterable<string>): Promise<void> {
  res.status(200).type('text/csv; charset=utf-8').attachment(fileName);
  for await (const line of lines) {
    if (res.destroyed) return;
    if (!res.write(line)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
  res.end();
}

export async function* tokenCsvLines(pages: AsyncIterable<readonly TokenWithItem[]>, routes: Routes, publicBaseUrl: string, timeZone: string): AsyncIterable<string> {
  yield csvLine(EXPORT_COLUMNS);
  for await (const page of pages) {
    let chunk = '';
    for (const t of page) {
      const row: CsvValue[] = [
        t.id, t.item.type, t.item.id, t.itemInfo?.title ?? '', t.nickname ?? '', t.code ?? '', deepLink(routes, publicBaseUrl, t.code), t.status,
        t.expiresAt ? expiryDateInZone(t.expiresAt, timeZone) : '', t.maxUses, t.uses, t.lastUsedAt?.toISOString() ?? '', t.createdAt.toISOString(),
      ];
      chunk += csvLine(row);
    }
    yield chunk;
  }
}

/** A batch's codes: code and deep link, one a line. */
export async function* batchCsvLines(pages: AsyncIterable<Token[]>, routes: Routes, publicBaseUrl: string): AsyncIterable<string> {
  yield csvLine(['code', 'deepLink']);
  for await (const page of pages) yield page.map((t) => csvLine([t.code ?? '', deepLink(routes, publicBaseUrl, t.code)])).join('');
}

/**
 * The results file: every original row in order with its outcome (`result`) and `error`, so it can
 * be fixed and uploaded again as it is (an import reads past those two columns). After the apply a
 * created token's id and code are filled in, so the file uploaded again changes nothing.
 */
export async function* resultCsvLines(columns: readonly string[], chunks: AsyncIterable<readonly (PlannedRow & { createdCode?: string })[]>, applied = false): AsyncIterable<string> {
  const kept = columns.map((c, i) => ({ c, i })).filter(({ c }) => c !== 'result' && c !== 'error');
  const header = [...kept.map(({ c }) => c)];
  const extra = (['id', 'code'] as const).filter((c) => !header.includes(c));
  yield csvLine([...header, ...extra, 'result', 'error']);
  for await (const rows of chunks) {
    let chunk = '';
    for (const r of rows) {
      const created = r.action === 'create' && r.tokenId ? { id: r.tokenId, code: r.createdCode ?? '' } : null;
      const cells = kept.map(({ c, i }) => (created && (c === 'id' || c === 'code') && !(r.cells[i] ?? '').trim() ? created[c] : r.cells[i] ?? ''));
      const more = extra.map((c) => (created ? created[c] : ''));
      const result = applied ? ({ create: 'created', update: 'updated', unchanged: 'unchanged', error: 'error' } as const)[r.action] : r.action;
      chunk += csvLine([...cells, ...more, result, r.error ? importProblem(r.error.code, r.error.data, 'row') : '']);
    }
    yield chunk;
  }
}
