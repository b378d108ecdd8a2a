/*
 * Local days in the portal's time zone, and the daily digest's schedule. Pure: the only outside
 * thing used is the JavaScript built-in Intl (IANA time zones).
 *
 * A local day is written `YYYY-MM-DD`. Days are not always 24 hours long (daylight saving time), and in a
 * few zones midnight itself does not exist on the day clocks go forward: the day then starts at the
 * first instant that does exist.
 */

import { isoDate, offsetMs, pad, wallTime } from '../shared/time-zone.js';

export type LocalDay = string;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The instant a wall-clock time happens in `timeZone`. Of an ambiguous time (clocks going back) the
 * first; of a time that does not exist (clocks going forward) the instant the gap ends.
 */
export function zonedTime(day: LocalDay, hour: number, timeZone: string): Date {
  const { year, month, date } = parseDay(day);
  const wall = Date.UTC(year, month - 1, date, hour, 0, 0);
  // Zones change offset at most once within a couple of days: the offsets a day either side are
  // the only candidates.
  const offsets = [...new Set([offsetMs(wall - DAY_MS, timeZone), offsetMs(wall, timeZone), offsetMs(wall + DAY_MS, timeZone)])];
  const exact = offsets.map((o) => wall - o).filter((t) => offsetMs(t, timeZone) === wall - t);
  if (exact.length > 0) return new Date(Math.min(...exact));
  // In a gap (clocks going forward): with the earlier offset the wall time lands just after the jump.
  return new Date(wall - Math.min(...offsets));
}

export function parseDay(day: LocalDay): { year: number; month: number; date: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`Not a local day: ${day}`);
  return { year: Number(m[1]), month: Number(m[2]), date: Number(m[3]) };
}

/** The local day `at` falls on in `timeZone`. */
export function localDay(at: Date, timeZone: string): LocalDay {
  return isoDate(wallTime(at, timeZone));
}

export function addDays(day: LocalDay, n: number): LocalDay {
  const { year, month, date } = parseDay(day);
  const d = new Date(Date.UTC(year, month - 1, date + n));
  return isoDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}

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
