import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { KnowledgeRef } from '../../../domain/shared/knowledge.js';
import type { RegistrationFilter, RegistrationReportRow } from '../../../domain/reports/registration-report.js';
import type { RegistrationReportPort } from '../../../domain/ports/registration-report.port.js';
import { TYPES } from '../../../types.js';
import { REGISTRATIONS, REPORT_COLUMNS, rowOf, STREAM_OPTIONS, whereFilter, type ReportRowData } from './report-sql.js';

const ID_RE = /^\d{1,18}$/;
/** Rows fetched per round trip when streaming on a database without server-side cursors. */
const BATCH = 2000;

/**
 * The registrations report on the plugin's own table: newest first by id (the keyset), one token's
 * or one item's rows found through their (token_id, id) and (item_type, item_id, id) indexes.
 */
@injectable()
export class KnexRegistrationReport implements RegistrationReportPort {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  private select(filter: RegistrationFilter): Knex.QueryBuilder {
    return whereFilter(this.knex({ r: REGISTRATIONS }).select(...REPORT_COLUMNS), filter);
  }

  async page(filter: RegistrationFilter, page: { limit: number; beforeId?: string }): Promise<{ rows: RegistrationReportRow[]; hasMore: boolean }> {
    if (filter.tokenId && !ID_RE.test(filter.tokenId)) return { rows: [], hasMore: false };
    const q = this.select(filter).orderBy('r.id', 'desc').limit(page.limit + 1);
    if (page.beforeId && ID_RE.test(page.beforeId)) q.where('r.id', '<', page.beforeId);
    const rows: ReportRowData[] = await q;
    return { rows: rows.slice(0, page.limit).map(rowOf), hasMore: rows.length > page.limit };
  }

  async count(filter: RegistrationFilter): Promise<number> {
    if (filter.tokenId && !ID_RE.test(filter.tokenId)) return 0;
    const [row] = await whereFilter(this.knex({ r: REGISTRATIONS }), filter).count<{ n: string | number }[]>({ n: '*' });
    return Number(row?.n ?? 0);
  }

  async *stream(filter: RegistrationFilter): AsyncIterable<RegistrationReportRow> {
    if (filter.tokenId && !ID_RE.test(filter.tokenId)) return;
    if (!this.streams()) {
      // PGlite has no server-side cursor (knex-pglite's stream() buffers the whole result): keyset batches instead.
      let before: string | undefined;
      for (;;) {
        const { rows, hasMore } = await this.page(filter, { limit: BATCH, ...(before && { beforeId: before }) });
        for (const r of rows) yield r;
        if (!hasMore) return;
        before = rows[rows.length - 1]!.id;
      }
    }
    const stream = this.select(filter).orderBy('r.id', 'desc').stream(STREAM_OPTIONS as never) as unknown as AsyncIterable<ReportRowData> & { destroy(e?: Error): void };
    try {
      for await (const r of stream) yield rowOf(r);
    } finally {
      // The consumer stopped early (the response closed): give the connection back now.
      stream.destroy();
    }
  }

  async forUsers(item: KnowledgeRef, userIds: readonly string[]): Promise<RegistrationReportRow[]> {
    if (userIds.length === 0) return [];
    const rows: ReportRowData[] = await this.select({ item }).whereIn('r.user_id', [...userIds]).orderBy('r.id', 'desc');
    return rows.map(rowOf);
  }

  async usersThrough(item: KnowledgeRef, tokenId: string): Promise<string[]> {
    if (!ID_RE.test(tokenId)) return [];
    const rows: { user_id: string }[] = await this.knex({ r: REGISTRATIONS }).distinct('r.user_id').where({ 'r.item_type': item.type, 'r.item_id': item.id, 'r.token_id': tokenId });
    return rows.map((r) => r.user_id);
  }

  private streams(): boolean {
    const client = (this.knex.client as { config?: { client?: unknown } }).config?.client;
    return client === 'pg' || client === 'postgres' || client === 'postgresql';
  }
}
