/*
 * The plugin's share of an item report, through the contract's ReportContributor: each contributor
 * describes its columns and filters for the item (once per report request), says which users its
 * chosen filters keep, and gives its columns' values for one page of rows (at most 1,000 user ids).
 * A contributor whose describe() fails is left out of that request (and the page says so).
 */
import type { Logger } from 'pino';
import type { KnowledgeRef, ReportContribution, ReportContributor, ReportFilter } from '../../src/contract/index.js';

/** Query parameters the host's reports use themselves: a contributed filter cannot take them. */
export const RESERVED_PARAMS = new Set(['userType', 'page', 'dialect', 'report']);
export const MAX_IDS_PER_CALL = 1000;

export interface Part {
  readonly contributor: ReportContributor;
  readonly contribution: ReportContribution;
  /** Its filters the host offers (reserved names left out). */
  readonly filters: readonly ReportFilter[];
}

export interface ContributedColumn {
  readonly key: string;
  readonly label: string;
  readonly part: number;
  readonly id: string;
}

export async function describeAll(contributors: readonly ReportContributor[], item: KnowledgeRef, log: Logger): Promise<{ parts: Part[]; failed: boolean }> {
  const parts: Part[] = [];
  let failed = false;
  for (const contributor of contributors) {
    try {
      const contribution = await contributor.describe(item);
      const filters = contribution.filters.filter((f) => {
        if (!RESERVED_PARAMS.has(f.id)) return true;
        log.warn({ filter: f.id }, 'A contributed report filter uses a name the host reserves; it is left out');
        return false;
      });
      parts.push({ contributor, contribution, filters });
    } catch (error) {
      failed = true;
      log.error({ error, item }, 'A report contributor could not describe its columns; the report is shown without them');
    }
  }
  return { parts, failed };
}

export const contributedColumns = (parts: readonly Part[]): ContributedColumn[] =>
  parts.flatMap((p, part) => p.contribution.columns.map((c) => ({ key: `p${part}.${c.id}`, label: c.label, part, id: c.id })));

/** The chosen value of each offered filter: only one of its options, never an empty one. */
export function chosenFilters(parts: readonly Part[], raw: Readonly<Record<string, unknown>>): Record<string, string> {
  const chosen: Record<string, string> = {};
  for (const filter of parts.flatMap((p) => p.filters)) {
    const value = raw[filter.id];
    if (typeof value === 'string' && value !== '' && filter.options.some((o) => o.value === value)) chosen[filter.id] = value;
  }
  return chosen;
}

/** The users every contributor's chosen filters keep, intersected; null when none narrows. */
export async function usersKept(parts: readonly Part[], item: KnowledgeRef, chosen: Readonly<Record<string, string>>): Promise<number[] | null> {
  let kept = null as Set<string> | null;
  for (const p of parts) {
    const own = Object.fromEntries(p.filters.filter((f) => chosen[f.id] !== undefined).map((f) => [f.id, chosen[f.id]!]));
    const users = await p.contributor.usersMatching(item, own);
    if (users === null) continue;
    const set = new Set(users.map(String));
    kept = kept === null ? set : new Set([...kept].filter((id) => set.has(id)));
  }
  return kept === null ? null : [...kept].filter((id) => /^\d{1,9}$/.test(id)).map(Number);
}

/** The contributed cells of each user of a page, by column key. */
export async function contributedValues(parts: readonly Part[], item: KnowledgeRef, userIds: readonly string[]): Promise<Map<string, Record<string, string | null>>> {
  const out = new Map<string, Record<string, string | null>>(userIds.map((id) => [id, {}]));
  for (const [part, p] of parts.entries()) {
    if (p.contribution.columns.length === 0) continue;
    for (let i = 0; i < userIds.length; i += MAX_IDS_PER_CALL) {
      const ids = userIds.slice(i, i + MAX_IDS_PER_CALL);
      const values = await p.contributor.values(item, ids);
      for (const id of ids) {
        const row = out.get(id)!;
        const given = values.get(id);
        for (const c of p.contribution.columns) row[`p${part}.${c.id}`] = given?.[c.id] ?? null;
      }
    }
  }
  return out;
}
