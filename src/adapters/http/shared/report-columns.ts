/*
 * The registrations and usage reports as every output prints them: the CSV's header and cells, the
 * API's JSON, from the same rows the same query object returned. Times are ISO 8601 with the offset
 * of the portal's time zone, which the header names.
 */
import { isErasedUserId } from '../../../domain/privacy/erasure.js';
import { statusOf, type RegistrationReportRow } from '../../../domain/reports/registration-report.js';
import { conversionOf } from '../../../domain/reports/usage.js';
import type { KnowledgeRef } from '../../../domain/shared/knowledge.js';
import type { TokenUsage } from '../../../domain/ports/usage-report.port.js';
import type { CsvCell } from '../../shared/csv/csv-writer.js';
import { isoInZone, isoInZoneOrNull } from '../../shared/csv/iso-time.js';
import { messages } from './messages.js';

const r = messages.reports;
const c = r.column;

/** A row with its item's current title (null when the item has gone). */
export type TitledRow<T> = { readonly row: T; readonly itemTitle: string | null };

export function registrationsHeader(timeZone: string, learning: boolean): string[] {
  const z = (label: string) => r.inZone(label, timeZone);
  return [
    c.name, c.email, c.userType, c.account, c.token, c.tokenId, c.itemType, c.itemId, c.item,
    z(c.registeredAt), z(c.activatedAt), ...(learning ? [z(c.startedAt), z(c.completedAt), c.outcome] : []), c.status,
    c.utmSource, c.utmMedium, c.utmCampaign, c.utmTerm, c.utmContent,
  ];
}

export const personName = (x: Pick<RegistrationReportRow, 'firstName' | 'lastName'>): string | null =>
  x.firstName === null && x.lastName === null ? null : `${x.firstName ?? ''} ${x.lastName ?? ''}`.trim();

export function registrationCells({ row: x, itemTitle }: TitledRow<RegistrationReportRow>, timeZone: string, learning: boolean): CsvCell[] {
  const a = x.attribution;
  return [
    personName(x) ?? r.deletedUser, x.email, x.userType ? r.userType[x.userType] : null, x.newUser ? r.account.new : r.account.existing,
    x.tokenNickname, x.tokenId === null ? null : Number(x.tokenId), x.item.type, x.item.id, itemTitle,
    isoInZone(x.registeredAt, timeZone), isoInZoneOrNull(x.activatedAt, timeZone),
    ...(learning ? [isoInZoneOrNull(x.startedAt, timeZone), isoInZoneOrNull(x.completedAt, timeZone), x.outcome ? r.outcomeLabel[x.outcome] : null] : []),
    r.statusLabel[statusOf(x)],
    a?.utm_source, a?.utm_medium, a?.utm_campaign, a?.utm_term, a?.utm_content,
  ];
}

/** The API's JSON of a registration: ids, instants in UTC (`Z`), the person, the steps and the campaign. */
export function registrationJson(x: RegistrationReportRow, learning: boolean): Record<string, unknown> {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: x.id,
    user: { id: isErasedUserId(x.userId) ? null : x.userId, email: x.email, firstName: x.firstName, lastName: x.lastName, type: x.userType },
    newUser: x.newUser,
    token: x.tokenId === null ? null : { id: x.tokenId, nickname: x.tokenNickname },
    tokenNickname: x.tokenNickname,
    item: { type: x.item.type, id: x.item.id },
    registeredAt: iso(x.registeredAt),
    activatedAt: iso(x.activatedAt),
    startedAt: learning ? iso(x.startedAt) : null,
    completedAt: learning ? iso(x.completedAt) : null,
    outcome: learning ? x.outcome : null,
    status: statusOf(learning ? x : { ...x, startedAt: null, completedAt: null }),
    campaign: x.attribution
      ? { source: x.attribution.utm_source ?? null, medium: x.attribution.utm_medium ?? null, campaign: x.attribution.utm_campaign ?? null, term: x.attribution.utm_term ?? null, content: x.attribution.utm_content ?? null }
      : null,
  };
}

export const usageHeader = (): string[] => [
  c.tokenId, c.token, c.itemType, c.itemId, c.item, c.views, c.registrations, c.newAccounts, c.existingAccounts, c.activated, c.started, c.completed,
  c.viewToRegistration, c.registrationToActivation, c.activationToStart, c.startToCompletion,
];

export function usageCells({ row: u, itemTitle }: TitledRow<TokenUsage>): CsvCell[] {
  const k = conversionOf(u);
  return [
    Number(u.tokenId), u.tokenNickname, u.item.type, u.item.id, itemTitle, u.views, u.registrations, u.newAccounts, u.existingAccounts, u.activated, u.started, u.completed,
    k.viewToRegistration, k.registrationToActivation, k.activationToStart, k.startToCompletion,
  ];
}

export function usageJson(u: TokenUsage): Record<string, unknown> {
  return {
    token: { id: u.tokenId, nickname: u.tokenNickname },
    item: { type: u.item.type, id: u.item.id },
    views: u.views, registrations: u.registrations, newAccounts: u.newAccounts, existingAccounts: u.existingAccounts,
    activated: u.activated, started: u.started, completed: u.completed,
    conversion: conversionOf(u),
  };
}


/**
 * Rows with their items' titles, each item asked once (a bounded cache): the export stays a stream
 * however many rows name the same few items.
 */
export async function* withTitles<T extends { readonly item: KnowledgeRef }>(
  rows: AsyncIterable<T>, titles: (refs: readonly KnowledgeRef[]) => Promise<(ref: KnowledgeRef) => string | null>,
): AsyncIterable<TitledRow<T>> {
  const cache = new Map<string, string | null>();
  for await (const row of rows) {
    const key = `${row.item.type}:${row.item.id}`;
    let title = cache.get(key);
    if (title === undefined) {
      title = (await titles([row.item]))(row.item);
      if (cache.size > 10_000) cache.clear();
      cache.set(key, title);
    }
    yield { row, itemTitle: title };
  }
}

/** `registrations_topic-12_2026-12-01.csv`: the report, what it covers, the day (portal's zone); only safe characters. */
export function csvFileName(report: string, scope: string, day: string): string {
  return `${[report, scope, day].map((p) => p.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '')).filter(Boolean).join('_')}.csv`;
}
