/*
 * Local days in the portal's time zone, and the daily digest's schedule. Pure: the only outside
 * thing used is the JavaScript built-in Intl (IANA time zones).
 *
 * A local day is written `YYYY-MM-DD`. Days are not always 24 hours long (daylight saving time), and in a
 * few zones midnight itself does not exist on the day clocks go forward: the day then starts at the
 * first instant that does exist.
 */

import { addDays, localDay, parseLocalDay, pad, wallTime, zonedTime, type LocalDay } from '../shared/time-zone.js';

export { addDays, localDay, zonedTime, type LocalDay } from '../shared/time-zone.js';
/** The parts of a `YYYY-MM-DD` day. */
export const parseDay = parseLocalDay;

/** [start, end) of a local day as instants; 23 or 25 hours long on the days clocks change. */
export function dayBounds(day: LocalDay, timeZone: string): { start: Date; end: Date } {
  return { start: zonedTime(day, 0, timeZone), end: zonedTime(addDays(day, 1), 0, timeZone) };
}

/** When the digest of `day` goes out: `hour` o'clock local time on the following day (0 = as the day ends). */
export function digestSendTime(day: LocalDay, timeZone: string, hour: number): Date {
  return zonedTime(addDays(day, 1), hour, timeZone);
}

/** The latest day whose digest is due at `now`: yesterday once today's send hour has come, else the day before. */
export function latestDueDay(now: Date, timeZone: string, hour: number): LocalDay {
  const yesterday = addDays(localDay(now, timeZone), -1);
  return now.getTime() >= digestSendTime(yesterday, timeZone, hour).getTime() ? yesterday : addDays(yesterday, -1);
}

export interface DayGroup<T> {
  readonly day: LocalDay;
  /** Oldest first. */
  readonly entries: readonly T[];
}

/** Groups timestamped entries by the local day they happened on in `timeZone`, days in order. */
export function groupByLocalDay<T extends { readonly at: Date }>(entries: readonly T[], timeZone: string): DayGroup<T>[] {
  const byDay = new Map<LocalDay, T[]>();
  for (const entry of entries) {
    const day = localDay(entry.at, timeZone);
    const list = byDay.get(day) ?? [];
    list.push(entry);
    byDay.set(day, list);
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([day, list]) => ({ day, entries: [...list].sort((a, b) => a.at.getTime() - b.at.getTime()) }));
}

/**
 * The digests to send at `now`: pending entries grouped by item (`key`) and local day, for the days
 * whose digest is due. Entries of days not yet due are left for later.
 */
export function dueDigests<T extends { readonly at: Date }>(
  entries: readonly T[],
  key: (entry: T) => string,
  now: Date,
  timeZone: string,
  hour: number,
): { key: string; day: LocalDay; entries: readonly T[] }[] {
  const lastDue = latestDueDay(now, timeZone, hour);
  const byKey = new Map<string, T[]>();
  for (const entry of entries) {
    const k = key(entry);
    byKey.set(k, [...(byKey.get(k) ?? []), entry]);
  }
  const out: { key: string; day: LocalDay; entries: readonly T[] }[] = [];
  for (const [k, list] of [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const group of groupByLocalDay(list, timeZone)) if (group.day <= lastDue) out.push({ key: k, day: group.day, entries: group.entries });
  }
  return out;
}

/** e.g. `Sunday 1 March 2026`. */
export function formatLocalDay(day: LocalDay): string {
  const { year, month, date } = parseDay(day);
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
    .format(new Date(Date.UTC(year, month - 1, date, 12)))
    .replace(',', '');
}

/** e.g. `1 March 2026, 10:05 GMT`: the wall time in the zone, with the zone's short name. */
export function formatLocalDateTime(at: Date, timeZone: string): string {
  const w = wallTime(at, timeZone);
  const zone = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  const month = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long' }).format(new Date(Date.UTC(2000, w.month - 1, 15)));
  return `${w.day} ${month} ${w.year}, ${pad(w.hour)}:${pad(w.minute)} ${zone}`;
}

/** e.g. `10:05`: the wall time only. */
export function formatLocalTime(at: Date, timeZone: string): string {
  const w = wallTime(at, timeZone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}
