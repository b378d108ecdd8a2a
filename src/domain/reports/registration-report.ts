/*
 * The registrations report: who came through which token, and how far they got. One filter drives
 * the page, the CSV and the API alike, so an export always holds what the screen shows.
 */
import type { KnowledgeRef } from '../shared/knowledge.js';
import { isKnowledgeType } from '../shared/knowledge.js';
import { USER_TYPES, type UserType } from '../shared/user.js';
import type { Attribution } from './attribution.js';
import { addDays, zonedTime } from '../shared/time-zone.js';

/** The furthest step a registrant reached: invited (no password yet), activated, started, completed. */
export const REPORT_STATUSES = ['invited', 'activated', 'started', 'completed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const isReportStatus = (v: unknown): v is ReportStatus => typeof v === 'string' && (REPORT_STATUSES as readonly string[]).includes(v);
export const isUserType = (v: unknown): v is UserType => typeof v === 'string' && (USER_TYPES as readonly string[]).includes(v);

/** What the registrations report is filtered by; each absent field: not filtered. */
export interface RegistrationFilter {
  readonly item?: KnowledgeRef;
  readonly tokenId?: string;
  readonly userType?: UserType;
  readonly status?: ReportStatus;
  /** Registered at or after this instant (start of the local day `from`). */
  readonly from?: Date;
  /** Registered before this instant (end of the local day `to`). */
  readonly to?: Date;
}

export type LearningOutcome = 'passed' | 'failed' | 'completed';

/** One registration as every report prints it. */
export interface RegistrationReportRow {
  readonly id: string;
  readonly userId: string;
  /** The person as last heard from the host; null names once the account is deleted. */
  readonly email: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly userType: UserType | null;
  readonly newUser: boolean;
  readonly tokenId: string | null;
  readonly tokenNickname: string | null;
  readonly item: KnowledgeRef;
  readonly registeredAt: Date;
  readonly activatedAt: Date | null;
  readonly startedAt: Date | null;
  readonly completedAt: Date | null;
  readonly outcome: LearningOutcome | null;
  readonly attribution: Attribution | null;
}

/** The furthest step of a row. */
export function statusOf(r: Pick<RegistrationReportRow, 'activatedAt' | 'startedAt' | 'completedAt'>): ReportStatus {
  if (r.completedAt) return 'completed';
  if (r.startedAt) return 'started';
  return r.activatedAt ? 'activated' : 'invited';
}

const ID_RE = /^\d{1,18}$/;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The raw filter fields as a page's query or the API gives them (strings), before they are checked. */
export interface RawRegistrationFilter {
  readonly item?: unknown;
  readonly token?: unknown;
  readonly userType?: unknown;
  readonly status?: unknown;
  readonly from?: unknown;
  readonly to?: unknown;
}

export type FilterProblem = { readonly field: keyof RawRegistrationFilter; readonly code: 'invalid' };

/** Local days `YYYY-MM-DD` of a range, still to be turned into instants in the portal's zone. */
export interface CheckedFilter {
  readonly item?: KnowledgeRef;
  readonly tokenId?: string;
  readonly userType?: UserType;
  readonly status?: ReportStatus;
  readonly fromDay?: string;
  readonly toDay?: string;
}

const realDay = (s: string): boolean => {
  if (!DAY_RE.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
};

/** Checks each given field; empty strings mean "any". Every problem is named, none is ignored. */
export function checkFilter(raw: RawRegistrationFilter): { ok: true; value: CheckedFilter } | { ok: false; problems: FilterProblem[] } {
  const problems: FilterProblem[] = [];
  const given = (v: unknown): v is string => typeof v === 'string' && v !== '';
  const out: { -readonly [K in keyof CheckedFilter]: CheckedFilter[K] } = {};
  if (given(raw.item)) {
    const m = /^([a-z]+):([A-Za-z0-9_-]{1,64})$/.exec(raw.item);
    if (m && isKnowledgeType(m[1])) out.item = { type: m[1], id: m[2]! };
    else problems.push({ field: 'item', code: 'invalid' });
  } else if (raw.item !== undefined && raw.item !== '') problems.push({ field: 'item', code: 'invalid' });
  if (given(raw.token)) (ID_RE.test(raw.token) ? (out.tokenId = raw.token) : problems.push({ field: 'token', code: 'invalid' }));
  if (given(raw.userType)) (isUserType(raw.userType) ? (out.userType = raw.userType) : problems.push({ field: 'userType', code: 'invalid' }));
  if (given(raw.status)) (isReportStatus(raw.status) ? (out.status = raw.status) : problems.push({ field: 'status', code: 'invalid' }));
  if (given(raw.from)) (realDay(raw.from) ? (out.fromDay = raw.from) : problems.push({ field: 'from', code: 'invalid' }));
  if (given(raw.to)) (realDay(raw.to) ? (out.toDay = raw.to) : problems.push({ field: 'to', code: 'invalid' }));
  for (const k of ['token', 'userType', 'status', 'from', 'to'] as const) if (raw[k] !== undefined && typeof raw[k] !== 'string') problems.push({ field: k, code: 'invalid' });
  if (out.fromDay && out.toDay && out.fromDay > out.toDay) problems.push({ field: 'to', code: 'invalid' });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: out };
}

/** The checked filter with its local days turned into instants in the portal's time zone (`to` inclusive). */
export function filterInZone(f: CheckedFilter, timeZone: string): RegistrationFilter {
  const { fromDay, toDay, ...rest } = f;
  return {
    ...rest,
    ...(fromDay && { from: zonedTime(fromDay, 0, timeZone) }),
    ...(toDay && { to: zonedTime(addDays(toDay, 1), 0, timeZone) }),
  };
}
