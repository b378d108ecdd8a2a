import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { parse, type CsvError } from 'csv-parse';
import { ErrorCodes, refuseWith } from '../../../domain/shared/errors.js';
import type { FileRefusal } from '../../../domain/tokens/token-import.js';
import type { CsvRecord, CsvUpload } from '../../../domain/ports/csv-upload.port.js';

class UploadProblem extends Error {
  constructor(readonly refusal: FileRefusal) {
    super(refusal.code);
  }
}

const problem = (code: FileRefusal['code'], line: number, data: Record<string, number> = {}): FileRefusal => refuseWith(code, { line, ...data }) as FileRefusal;

/**
 * An uploaded CSV read as a stream with csv-parse: bytes are counted (at most `maxBytes`), hashed
 * (SHA-256) and decoded as strict UTF-8 chunk by chunk (a leading BOM is dropped), so a file is
 * never whole in memory; the first problem ends the records with the line it is on.
 */
export function csvUpload(source: AsyncIterable<Buffer | string>, fileName: string, maxBytes: number): CsvUpload {
  const hash = createHash('sha256');
  let digest = '';
  return {
    fileName,
    digest: () => digest,
    async *records(): AsyncIterable<CsvRecord> {
      let bytes = 0;
      let lines = 1;
      const decoder = new TextDecoder('utf-8', { fatal: true });
      async function* decode(input: AsyncIterable<Buffer | string>) {
        for await (const piece of input) {
          const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
          bytes += chunk.length;
          if (bytes > maxBytes) throw new UploadProblem(problem(ErrorCodes.IMPORT_TOO_LARGE, lines, { max: maxBytes }));
          hash.update(chunk);
          let text: string;
          try {
            text = decoder.decode(chunk, { stream: true });
          } catch {
            // The line of the first byte that is not UTF-8.
            const lenient = new TextDecoder('utf-8').decode(chunk);
            const before = lenient.slice(0, Math.max(0, lenient.indexOf('\uFFFD')));
            throw new UploadProblem(problem(ErrorCodes.IMPORT_ENCODING, lines + (before.match(/\n/g)?.length ?? 0)));
          }
          for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines += 1;
          yield text;
        }
        try {
          const rest = decoder.decode();
          if (rest) yield rest;
        } catch {
          throw new UploadProblem(problem(ErrorCodes.IMPORT_ENCODING, lines));
        }
        digest = hash.digest('hex');
      }
      // Empty lines are kept (and skipped here) so that every record's first line is known exactly.
      const parser = parse({ bom: true, info: true, relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'] });
      const flowing = pipeline(source, decode, parser).catch((e: unknown) => e);
      let last = 0;
      let width = -1;
      const fail = (p: FileRefusal): CsvRecord => ({ line: p.data.line, problem: p });
      try {
        for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
          const line = last + 1;
          last = info.lines;
          if (record.length === 1 && record[0] === '') continue;
          if (width === -1) width = record.length;
          else if (record.length !== width) {
            yield fail(problem(ErrorCodes.IMPORT_MALFORMED, line, { cells: record.length, expected: width }));
            return;
          }
          yield { line, cells: record };
        }
      } catch (e) {
        yield fail(toProblem(e, last + 1));
        return;
      }
      const failed = await flowing;
      if (failed) yield fail(toProblem(failed, last + 1));
    },
  };
}

function toProblem(e: unknown, line: number): FileRefusal {
  if (e instanceof UploadProblem) return e.refusal;
  const csv = e as Partial<CsvError> & { lines?: number };
  if (typeof csv.code === 'string' && csv.code.startsWith('CSV_')) return problem(ErrorCodes.IMPORT_MALFORMED, csv.lines ?? line);
  throw e;
}
