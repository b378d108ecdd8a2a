import { displayName } from '../../domain/audit/audit.js';
import { ErrorCodes, refuseWith, type Refusal } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import { safeTimeZone } from '../../domain/shared/time-zone.js';
import { IMPORT_MAX_ROWS, IMPORT_PLAN_TTL_MS, noCounts, planRow, readHeader, rowCode, rowValues, type ImportCounts, type ImportHeader, type PlannedRow } from '../../domain/tokens/token-import.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { CsvUpload } from '../../domain/ports/csv-upload.port.js';
import type { PortalPort } from '../../domain/ports/portal.port.js';
import type { TokenBulkRepository } from '../../domain/ports/token-bulk-repository.port.js';
import type { TokenImportStore } from '../../domain/ports/token-import-store.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import { denied } from '../tokens/token-refusals.js';
import { ImportRowFacts } from './import-row-facts.js';

/** Rows planned (and stored) together. */
export const IMPORT_CHUNK = 1000;
/** Rows a dry run answers with; the results file has them all. */
export const REPORT_ROWS = 1000;

export interface ImportReport {
  readonly id: string;
  readonly fileName: string;
  readonly digest: string;
  readonly counts: ImportCounts;
  readonly rowCount: number;
  readonly expiresAt: Date;
  readonly columns: readonly string[];
  /** The first REPORT_ROWS rows in file order. */
  readonly rows: readonly PlannedRow[];
}

/**
 * The dry run of a CSV import: reads the file as a stream, plans every row with the rules of the
 * panel (token-rules.ts) against the tokens and items as they are now, and keeps the plan
 * server-side for the apply. It writes no token and no audit entry: only the plan itself.
 */
export class DryRunTokenImportUseCase {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly store: TokenImportStore,
    private readonly bulk: TokenBulkRepository,
    private readonly catalogue: CataloguePort,
    private readonly portal: PortalPort,
    private readonly clock: ClockPort,
  ) {}

  async execute(actor: HostUser | null, upload: CsvUpload): Promise<Result<ImportReport, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.tokensManage, actor)) return denied();
    const now = this.clock.now();
    await this.store.removeExpired(now);
    const timeZone = safeTimeZone((await this.portal.info()).timeZone);
    const expiresAt = new Date(now.getTime() + IMPORT_PLAN_TTL_MS);
    const id = await this.store.create({ fileName: upload.fileName, createdBy: actor!.id, createdByName: displayName(actor!), createdAt: now, expiresAt });
    const planned = await this.plan(id, upload, now, timeZone).catch(async (e: unknown) => {
      await this.store.discard(id);
      throw e;
    });
    if (!planned.ok) {
      await this.store.discard(id);
      return planned;
    }
    const digest = upload.digest();
    const { header, counts, rowCount } = planned.value;
    let rows = planned.value.rows;
    const earlier = (await this.store.appliedWithDigest(digest)).map((e) => e.id);
    if (earlier.length > 0) rows = await this.findEarlierTokens(id, header, earlier, counts, rows, now, timeZone);
    await this.store.finish(id, digest, header.columns, counts, rowCount);
    return ok({ id, fileName: upload.fileName, digest, counts, rowCount, expiresAt, columns: header.columns, rows });
  }

  /**
   * The same file was applied before: a row that names no token (no id, no code) created one then,
   * so it is planned again against that token instead of creating another.
   */
  private async findEarlierTokens(
    id: string, header: ImportHeader, earlier: string[], counts: ImportCounts, first: readonly PlannedRow[], now: Date, timeZone: string,
  ): Promise<PlannedRow[]> {
    const facts = new ImportRowFacts(this.catalogue, this.bulk, header, earlier);
    const replaced = new Map<number, PlannedRow>();
    for await (const chunk of this.store.chunks(id)) {
      const unnamed = chunk.rows.filter((r) => {
        const v = rowValues(header, r.cells);
        return !v.id && rowCode(v) === null;
      });
      if (unnamed.length === 0) continue;
      const again = new Map((await facts.of(unnamed)).map((f) => [f.line, planRow(f, now, timeZone)]));
      const rows = chunk.rows.map((r) => {
        const next = again.get(r.line);
        if (!next) return r;
        counts[r.action] -= 1;
        counts[next.action] += 1;
        replaced.set(r.line, next);
        return next;
      });
      await this.store.replaceChunk(id, chunk.seq, rows);
    }
    return first.map((r) => replaced.get(r.line) ?? r);
  }

  private async plan(id: string, upload: CsvUpload, now: Date, timeZone: string) {
    // Each chunk's plan is stored while the next one is read and planned; one write at a time.
    let writing: Promise<unknown> = Promise.resolve();
    try {
      return await this.planFile(id, upload, now, timeZone, (write) => {
        const previous = writing;
        writing = previous.then(write);
        return previous;
      });
    } finally {
      await writing;
    }
  }

  private async planFile(id: string, upload: CsvUpload, now: Date, timeZone: string, store: (write: () => Promise<void>) => Promise<unknown>) {
    let header: ImportHeader | null = null;
    let facts: ImportRowFacts | null = null;
    const counts = noCounts();
    const first: PlannedRow[] = [];
    let pending: { line: number; cells: readonly string[] }[] = [];
    let seq = 0;
    let rowCount = 0;
    const flush = async () => {
      if (!facts || pending.length === 0) return;
      const rows = (await facts.of(pending)).map((f) => planRow(f, now, timeZone));
      for (const r of rows) {
        counts[r.action] += 1;
        if (first.length < REPORT_ROWS) first.push(r);
      }
      const at = seq++;
      pending = [];
      await store(() => this.store.appendRows(id, at, rows));
    };
    for await (const record of upload.records()) {
      if ('problem' in record) return err(record.problem as Refusal);
      if (!header) {
        const read = readHeader(record.cells, record.line);
        if (!read.ok) return err(read.error as Refusal);
        header = read.value;
        facts = new ImportRowFacts(this.catalogue, this.bulk, header, []);
        continue;
      }
      if (record.cells.every((c) => c.trim() === '')) continue;
      rowCount += 1;
      if (rowCount > IMPORT_MAX_ROWS) return err(refuseWith(ErrorCodes.IMPORT_TOO_MANY_ROWS, { line: record.line, max: IMPORT_MAX_ROWS }));
      pending.push({ line: record.line, cells: record.cells });
      if (pending.length >= IMPORT_CHUNK) await flush();
    }
    if (!header || rowCount === 0) return err(refuseWith(ErrorCodes.IMPORT_EMPTY, { line: 1 }));
    await flush();
    return ok({ header, counts, rowCount, rows: first });
  }
}
