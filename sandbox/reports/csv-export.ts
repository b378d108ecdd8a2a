/*
 * A prepared report as a CSV download, streamed from the database batch by batch (never held whole),
 * waiting for the client to take each batch. Times are ISO 8601 with the offset of the portal's time
 * zone, which the header row names. A failure once the file has begun destroys the connection, so
 * the client sees a broken download, never a file that looks complete.
 */
import type { Response } from 'express';
import type { Logger } from 'pino';
import { csvLine, numberCell, preamble, textCell } from './csv.js';
import type { CsvDialect } from './csv.js';
import type { Cell, OutputColumn, PreparedReport } from './report.js';
import { isoInZone, localDay } from './time.js';

export interface CsvOptions {
  readonly dialect: CsvDialect;
  readonly timeZone: string;
  readonly now: Date;
  readonly log: Logger;
}

const slug = (text: string): string =>
  text.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'item';

/** `progress-topic-12-product-safety-basics-2026-12-01.csv` (the day in the portal's time zone). */
export const csvFileName = (report: PreparedReport, timeZone: string, now: Date): string =>
  `${report.query.report}-${report.query.item.type}-${report.query.item.id}-${slug(report.query.item.title)}-${localDay(now, timeZone)}.csv`;

export const headerLabel = (column: OutputColumn, timeZone: string): string => (column.kind === 'time' ? `${column.label} (${timeZone})` : column.label);

function cell(column: OutputColumn, value: Cell, timeZone: string): string {
  if (value === null) return '';
  if (column.kind === 'time') return value instanceof Date ? isoInZone(value, timeZone) : textCell(String(value));
  if (column.kind === 'number' && typeof value === 'number') return numberCell(value);
  return textCell(value instanceof Date ? value.toISOString() : String(value));
}

function write(res: Response, chunk: string): Promise<void> {
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export async function sendCsv(res: Response, report: PreparedReport, opts: CsvOptions): Promise<void> {
  const { columns } = report;
  const fileName = csvFileName(report, opts.timeZone, opts.now);
  res.status(200);
  res.set({
    'Content-Type': 'text/csv; charset=utf-8; header=present',
    'Content-Disposition': `attachment; filename="${fileName}"`,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  let rows = 0;
  try {
    await write(res, preamble(opts.dialect) + csvLine(columns.map((c) => textCell(headerLabel(c, opts.timeZone)))));
    for await (const batch of report.batches()) {
      if (res.destroyed) break;
      await write(res, batch.map((row) => csvLine(row.map((value, i) => cell(columns[i]!, value, opts.timeZone)))).join(''));
      rows += batch.length;
    }
    if (!res.destroyed) res.end();
  } catch (error) {
    opts.log.error({ error, report: report.query.report, item: report.query.item.id, rows }, 'A report export failed part-way; the connection is closed');
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
