import type { Response } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Sends a CSV export as it is produced. Its first chunk is read before anything is answered, so a
 * report that cannot start (the database is down) still gets the usual error page or JSON error;
 * once bytes have gone out, a failure destroys the connection: the download then fails visibly
 * instead of ending like a complete file.
 */
export async function sendCsv(res: Response, fileName: string, csv: Readable, onError: (e: unknown) => void): Promise<void> {
  const chunks = csv[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let first: IteratorResult<Buffer>;
  try {
    first = await chunks.next();
  } catch (e) {
    csv.destroy();
    throw e;
  }
  res.status(200).set({
    'Content-Type': 'text/csv; charset=utf-8; header=present',
    'Content-Disposition': `attachment; filename="${fileName}"`,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  async function* rest(): AsyncGenerator<Buffer> {
    if (!first.done) yield first.value;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      yield next.value;
    }
  }
  try {
    await pipeline(rest, res);
  } catch (e) {
    // pipeline destroyed the response already (and with it the socket): only log what broke.
    res.destroy();
    if ((e as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') onError(e);
  }
}
