/* The registrations report's SQL: one select and one set of filters behind pages, counts, streams and the usage figures. */
import type { Knex } from 'knex';
import type { KnowledgeRef } from '../../../domain/shared/knowledge.js';
import type { UserType } from '../../../domain/shared/user.js';
import type { Attribution } from '../../../domain/reports/attribution.js';
import type { LearningOutcome, RegistrationFilter, RegistrationReportRow } from '../../../domain/reports/registration-report.js';
import { dateOrNull, idString } from '../../shared/knex-helpers.js';

export const REGISTRATIONS = 'selfreg_registrations';

/** pg-query-stream's cursor: rows fetched per round trip, and rows buffered ahead of the reader. */
export const STREAM_OPTIONS = { batchSize: 250, highWaterMark: 64 } as const;

/** The columns a report row is read from: all on the registration row, plus the token's current nickname. */
export const REPORT_COLUMNS = [
  'r.id', 'r.user_id', 'r.user_email', 'r.user_first_name', 'r.user_last_name', 'r.user_type', 'r.new_user', 'r.token_id',
  'r.token_nickname', 'r.item_type', 'r.item_id', 'r.created_at', 'r.activated_at', 'r.started_at', 'r.completed_at', 'r.outcome',
  'r.utm_source', 'r.utm_medium', 'r.utm_campaign', 'r.utm_term', 'r.utm_content',
] as const;

export interface ReportRowData {
  id: string | number;
  user_id: string;
  user_email: string | null;
  user_first_name: string | null;
  user_last_name: string | null;
  user_type: string | null;
  new_user: boolean;
  token_id: string | number | null;
  token_nickname: string | null;
  item_type: string;
  item_id: string;
  created_at: string | Date;
  activated_at: string | Date | null;
  started_at: string | Date | null;
  completed_at: string | Date | null;
  outcome: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
}

function attributionOf(r: ReportRowData): Attribution | null {
  const a: Record<string, string> = {};
  for (const k of ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const) if (r[k]) a[k] = r[k]!;
  return Object.keys(a).length > 0 ? a : null;
}

export function rowOf(r: ReportRowData): RegistrationReportRow {
  return {
    id: idString(r.id),
    userId: r.user_id,
    email: r.user_email,
    firstName: r.user_first_name,
    lastName: r.user_last_name,
    userType: (r.user_type as UserType | null) ?? null,
    newUser: r.new_user,
    tokenId: r.token_id === null ? null : idString(r.token_id),
    tokenNickname: r.token_nickname,
    item: { type: r.item_type as KnowledgeRef['type'], id: r.item_id },
    registeredAt: new Date(r.created_at),
    activatedAt: dateOrNull(r.activated_at),
    startedAt: dateOrNull(r.started_at),
    completedAt: dateOrNull(r.completed_at),
    outcome: (r.outcome as LearningOutcome | null) ?? null,
    attribution: attributionOf(r),
  };
}

/** Range and scope filters (no status): the conditions every report shares. */
export function whereScope(q: Knex.QueryBuilder, f: Omit<RegistrationFilter, 'status' | 'userType'> & { userType?: UserType }): Knex.QueryBuilder {
  if (f.tokenId) q.where('r.token_id', f.tokenId);
  if (f.item) q.where({ 'r.item_type': f.item.type, 'r.item_id': f.item.id });
  if (f.userType) q.where('r.user_type', f.userType);
  if (f.from) q.where('r.created_at', '>=', f.from);
  if (f.to) q.where('r.created_at', '<', f.to);
  return q;
}

/** The furthest step reached, as the domain's statusOf decides it. */
export function whereStatus(q: Knex.QueryBuilder, status: RegistrationFilter['status']): Knex.QueryBuilder {
  switch (status) {
    case 'completed':
      return q.whereNotNull('r.completed_at');
    case 'started':
      return q.whereNull('r.completed_at').whereNotNull('r.started_at');
    case 'activated':
      return q.whereNull('r.completed_at').whereNull('r.started_at').whereNotNull('r.activated_at');
    case 'invited':
      return q.whereNull('r.completed_at').whereNull('r.started_at').whereNull('r.activated_at');
    default:
      return q;
  }
}

/** Every filter of the report. */
export const whereFilter = (q: Knex.QueryBuilder, f: RegistrationFilter): Knex.QueryBuilder => whereStatus(whereScope(q, f), f.status);
