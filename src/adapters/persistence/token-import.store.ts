import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { ImportCounts, PlannedRow } from '../../domain/tokens/token-import.js';
import type { ImportSummary, NewImport, TokenImportStore } from '../../domain/ports/token-import-store.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { TYPES } from '../../types.js';
import { dateOrNull, idString, on } from '../shared/knex-helpers.js';

interface ImportRow {
  id: string | number;
  digest: string;
  file_name: string;
  created_by: string;
  created_by_name: string;
  created_at: string | Date;
  expires_at: string | Date;
  state: 'planned' | 'applied';
  applied_at: string | Date | null;
  applied_by_name: string | null;
  columns: unknown;
  counts: unknown;
  row_count: number;
}

const IMPORTS = 'selfreg_token_imports';
const CHUNKS = 'selfreg_token_import_chunks';
const ID_RE = /^\d{1,18}$/;
/** A chunk as stored: the plans, and the original cells apart. */
const split = (rows: readonly PlannedRow[]): { rows: string; cells: string } => ({
  rows: JSON.stringify(rows.map(({ cells: _cells, ...plan }) => plan)),
  cells: JSON.stringify(rows.map((r) => r.cells)),
});
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/** Dry-run plans in PostgreSQL: a summary row and the planned rows as JSON chunks (1,000 rows each). */
@injectable()
export class KnexTokenImportStore implements TokenImportStore {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async create(plan: NewImport): Promise<string> {
    const [row] = await this.knex(IMPORTS)
      .insert({
        digest: '', file_name: plan.fileName.slice(0, 200), created_by: plan.createdBy, created_by_name: plan.createdByName.slice(0, 200),
        created_at: plan.createdAt, expires_at: plan.expiresAt, columns: JSON.stringify([]), counts: JSON.stringify({}), row_count: 0,
      })
      .returning('id');
    return idString((row as { id: unknown }).id);
  }

  async appendRows(importId: string, seq: number, rows: readonly PlannedRow[]): Promise<void> {
    await this.knex(CHUNKS).insert({ import_id: importId, seq, ...split(rows) });
  }

  async finish(importId: string, digest: string, columns: readonly string[], counts: ImportCounts, rowCount: number): Promise<void> {
    await this.knex(IMPORTS).where({ id: importId }).update({ digest, columns: JSON.stringify(columns), counts: JSON.stringify(counts), row_count: rowCount });
  }

  async discard(importId: string): Promise<void> {
    await this.knex(CHUNKS).where({ import_id: importId }).delete();
    await this.knex(IMPORTS).where({ id: importId }).delete();
  }

  async find(id: string): Promise<ImportSummary | null> {
    if (!ID_RE.test(id)) return null;
    const row: ImportRow | undefined = await this.knex(IMPORTS).where({ id }).whereNot({ digest: '' }).first();
    return row ? this.summary(row) : null;
  }

  async lock(id: string, tx: Tx): Promise<ImportSummary | null> {
    if (!ID_RE.test(id)) return null;
    const row: ImportRow | undefined = await on(this.knex, tx)(IMPORTS).where({ id }).forUpdate().first();
    return row ? this.summary(row) : null;
  }

  async *chunks(id: string, tx?: Tx, withCells = true): AsyncIterable<{ seq: number; rows: readonly PlannedRow[] }> {
    // One chunk per query: the plan is never read whole into memory.
    for (let seq = 0; ; seq++) {
      const row: { rows: unknown; cells?: unknown } | undefined = await on(this.knex, tx)(CHUNKS).where({ import_id: id, seq }).first(withCells ? ['rows', 'cells'] : ['rows']);
      if (!row) return;
      const plans = json<Omit<PlannedRow, 'cells'>[]>(row.rows);
      const cells = withCells ? json<string[][]>(row.cells) : [];
      yield { seq, rows: plans.map((p, i) => ({ ...p, cells: cells[i] ?? [] })) };
    }
  }

  async replaceChunk(id: string, seq: number, rows: readonly PlannedRow[], tx?: Tx): Promise<void> {
    await on(this.knex, tx)(CHUNKS).where({ import_id: id, seq }).update(split(rows));
  }

  async markApplied(id: string, by: { id: string; name: string }, at: Date, tx: Tx): Promise<void> {
    await on(this.knex, tx)(IMPORTS).where({ id }).update({ state: 'applied', applied_at: at, applied_by: by.id, applied_by_name: by.name.slice(0, 200) });
  }

  async appliedWithDigest(digest: string, tx?: Tx): Promise<{ id: string; appliedAt: Date }[]> {
    const rows: { id: unknown; applied_at: string | Date }[] = await on(this.knex, tx)(IMPORTS).where({ digest, state: 'applied' }).select('id', 'applied_at');
    return rows.map((r) => ({ id: idString(r.id), appliedAt: new Date(r.applied_at) }));
  }

  async lockDigest(digest: string, tx: Tx): Promise<void> {
    await on(this.knex, tx).raw("select pg_advisory_xact_lock(hashtext('selfreg_import:' || ?))", [digest]);
  }

  async removeExpired(now: Date): Promise<number> {
    // Applied imports keep their summary (for the same file uploaded again); their rows go with the plans.
    const stale = this.knex(IMPORTS).where('expires_at', '<=', now).select('id');
    await this.knex(CHUNKS).whereIn('import_id', stale).delete();
    const gone = await this.knex(IMPORTS).where('expires_at', '<=', now).where({ state: 'planned' }).delete().returning('id');
    return gone.length;
  }

  private summary(r: ImportRow): ImportSummary {
    return {
      id: idString(r.id), digest: r.digest, fileName: r.file_name, createdBy: r.created_by, createdByName: r.created_by_name,
      createdAt: new Date(r.created_at), expiresAt: new Date(r.expires_at), state: r.state, appliedAt: dateOrNull(r.applied_at),
      appliedByName: r.applied_by_name, columns: json<string[]>(r.columns), counts: json<ImportCounts>(r.counts), rowCount: r.row_count,
    };
  }
}
