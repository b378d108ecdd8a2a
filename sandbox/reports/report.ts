/*
 * One item report, prepared from one query object: the report, the item, the user type and the
 * plugin's filters as chosen, and the page. The screen shows a page of it and the CSV streams all
 * of it, both from the same columns, filters and ordered query, so an export is what the screen shows.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { USER_TYPES } from '../../src/contract/index.js';
import type { HostReportId, KnowledgeRef, ReportContributor, ReportFilter, ReportUserType } from '../../src/contract/index.js';
import type { ItemRow } from '../host/records.js';
import { chosenFilters, contributedColumns, contributedValues, describeAll, MAX_IDS_PER_CALL, usersKept } from './contributions.js';
import type { Part } from './contributions.js';
import { REPORTS } from './definitions.js';
import type { CellKind, ReportDefinition, ReportRow } from './definitions.js';

export const PAGE_SIZE = 50;

/** node-postgres streams a query through a cursor on a connection of its own; PGlite has one connection. */
const streamsRows = (knex: Knex): boolean => (knex.client as { config?: { client?: unknown } }).config?.client === 'pg';

export interface ReportQuery {
  readonly report: HostReportId;
  readonly item: ItemRow;
  /** null: every user type. */
  readonly userType: ReportUserType | null;
  /** The plugin's filters as chosen: filter id (the query parameter) → one of its options. */
  readonly chosen: Readonly<Record<string, string>>;
  /** From 1. */
  readonly page: number;
}

export interface OutputColumn {
  readonly key: string;
  readonly label: string;
  readonly kind: CellKind;
}

export type Cell = string | number | Date | null;

export interface PreparedReport {
  readonly query: ReportQuery;
  readonly definition: ReportDefinition;
  readonly columns: readonly OutputColumn[];
  /** The plugin's filters offered for this item. */
  readonly filters: readonly ReportFilter[];
  /** A contributor could not describe its share: the report is shown without it. */
  readonly contributorFailed: boolean;
  count(): Promise<number>;
  /** One page of rows for the screen. */
  rows(offset: number, limit: number): Promise<Cell[][]>;
  /** Every row, streamed from the database in batches of at most `size` rows (≤ 1,000 users each). */
  batches(size?: number): AsyncGenerator<Cell[][]>;
}

export interface ReportDeps {
  readonly knex: Knex;
  readonly contributors: readonly ReportContributor[];
  readonly log: Logger;
}

const readUserType = (value: unknown): ReportUserType | null =>
  typeof value === 'string' && (USER_TYPES as readonly string[]).includes(value) ? (value as ReportUserType) : null;

const readPage = (value: unknown): number => {
  const n = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : 1;
  return n >= 1 ? n : 1;
};

/** Reads the query object from the request's parameters and prepares the report it names. */
export async function prepareReport(deps: ReportDeps, report: HostReportId, item: ItemRow, raw: Readonly<Record<string, unknown>>): Promise<PreparedReport> {
  const ref: KnowledgeRef = { type: item.type, id: String(item.id) };
  const { parts, failed } = await describeAll(deps.contributors, ref, deps.log);
  const query: ReportQuery = { report, item, userType: readUserType(raw.userType), chosen: chosenFilters(parts, raw), page: readPage(raw.page) };
  return build(deps, query, parts, failed);
}

async function build(deps: ReportDeps, query: ReportQuery, parts: Part[], failed: boolean): Promise<PreparedReport> {
  const { knex } = deps;
  const ref: KnowledgeRef = { type: query.item.type, id: String(query.item.id) };
  const definition = REPORTS[query.report];
  const hostColumns = await definition.columns(knex, query.item);
  const extra = contributedColumns(parts);
  const userIds = await usersKept(parts, ref, query.chosen);
  const base = (): Knex.QueryBuilder => definition.query(knex, query.item, { userType: query.userType, userIds });

  async function assemble(rows: ReportRow[]): Promise<Cell[][]> {
    const ids = [...new Set(rows.map((r) => String(r.user_id)))];
    const values = extra.length > 0 ? await contributedValues(parts, ref, ids) : new Map<string, Record<string, string | null>>();
    return rows.map((row) => {
      const own = values.get(String(row.user_id)) ?? {};
      return [...hostColumns.map((c) => c.value(row)), ...extra.map((c) => own[c.key] ?? null)];
    });
  }

  return {
    query,
    definition,
    columns: [...hostColumns.map((c) => ({ key: c.id, label: c.label, kind: c.kind })), ...extra.map((c) => ({ key: c.key, label: c.label, kind: 'text' as const }))],
    filters: parts.flatMap((p) => p.filters),
    contributorFailed: failed,
    async count() {
      const row = await knex.from(base().clearOrder().as('r')).count<{ n: string | number }[]>({ n: '*' });
      return Number(row[0]?.n ?? 0);
    },
    async rows(offset, limit) {
      return assemble((await base().offset(offset).limit(limit)) as ReportRow[]);
    },
    async *batches(size = MAX_IDS_PER_CALL) {
      const batchSize = Math.min(Math.max(1, size), MAX_IDS_PER_CALL);
      if (!streamsRows(knex)) {
        // PGlite: its knex "stream" holds the one connection until read to the end, so a contributor's
        // own queries would wait for it forever; read page by page instead (small, local data).
        for (let offset = 0; ; offset += batchSize) {
          const rows = (await base().offset(offset).limit(batchSize)) as ReportRow[];
          if (rows.length > 0) yield await assemble(rows);
          if (rows.length < batchSize) return;
        }
      }
      // PostgreSQL: one cursor (pg-query-stream) read as the client takes the file.
      const stream = base().stream();
      try {
        let batch: ReportRow[] = [];
        for await (const row of stream) {
          batch.push(row as ReportRow);
          if (batch.length >= batchSize) {
            const page = batch;
            batch = [];
            yield await assemble(page);
          }
        }
        if (batch.length > 0) yield await assemble(batch);
      } finally {
        stream.destroy();
      }
    },
  };
}

/** The query object as URL parameters (user type and the plugin's filters; the page when asked). */
export function searchOf(query: ReportQuery, withPage?: number): string {
  const params = new URLSearchParams();
  if (query.userType) params.set('userType', query.userType);
  for (const [id, value] of Object.entries(query.chosen)) params.set(id, value);
  if (withPage !== undefined && withPage > 1) params.set('page', String(withPage));
  const text = params.toString();
  return text ? `?${text}` : '';
}
