/*
 * Wall-clock arithmetic in IANA time zones, shared by token expiry and digest scheduling.
 * Pure: Intl's time-zone data is a table lookup, not I/O.
 */

export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const zoneValidity = new Map<string, boolean>();

/** True for a time zone Intl knows (IANA names such as `Europe/London`, and `UTC`). */
export function isValidTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string' || timeZone.length === 0 || timeZone.length > 64) return false;
  let valid = zoneValidity.get(timeZone);
  if (valid === undefined) {
    try {
      partsFormatter(timeZone);
      valid = true;
    } catch {
      valid = false;
    }
    // Bounded: a host misconfigured with many bad names cannot grow it without limit.
    if (zoneValidity.size < 1000) zoneValidity.set(timeZone, valid);
  }
  return valid;
}

/** The wall-clock time at instant `at` (ms or Date) in `timeZone`. */
export function wallTime(at: number | Date, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(typeof at === 'number' ? new Date(at) : at)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second! };
}

/** Milliseconds the zone is ahead of UTC at instant `at` (whole seconds: enough for every zone in use). */
export function offsetMs(at: number, timeZone: string): number {
  const w = wallTime(at, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
}

export const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYY-MM-DD` of a wall time. */
export const isoDate = (w: Pick<WallTime, 'year' | 'month' | 'day'>): string => `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;

/** The zone every clock falls back to when the portal's is not one Intl knows. */
export const FALLBACK_TIME_ZONE = 'UTC';

/** The portal's time zone if Intl knows it, else UTC: the one place that fallback is decided. */
export const safeTimeZone = (timeZone: unknown): string => (isValidTimeZone(timeZone) ? timeZone : FALLBACK_TIME_ZONE);

// ---- Local days (`YYYY-MM-DD` in a zone): the one place day arithmetic lives ----------------------

/** A calendar day written `YYYY-MM-DD`. */
export type LocalDay = string;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The parts of a `YYYY-MM-DD` day (its shape only; see parseCalendarDate for a real date). */
export function parseLocalDay(day: LocalDay): { year: number; month: number; date: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`Not a local day: ${day}`);
  return { year: Number(m[1]), month: Number(m[2]), date: Number(m[3]) };
}

/** The local day instant `at` falls on in `timeZone`. */
export const localDay = (at: number | Date, timeZone: string): LocalDay => isoDate(wallTime(at, timeZone));

/** The day `n` days after `day` (before it for negative `n`). */
export function addDays(day: LocalDay, n: number): LocalDay {
  const { year, month, date } = parseLocalDay(day);
  const d = new Date(Date.UTC(year, month - 1, date + n));
  return isoDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}

/** Days since 1970-01-01 of a local day: comparable, and subtractable. */
export function dayNumber(day: LocalDay): number {
  const { year, month, date } = parseLocalDay(day);
  return Date.UTC(year, month - 1, date) / DAY_MS;
}

/**
 * The instant a wall-clock time happens in `timeZone`. Of an ambiguous time (clocks going back) the
 * first; of a time that does not exist (clocks going forward) the instant the gap ends.
 */
export function zonedTime(day: LocalDay, hour: number, timeZone: string): Date {
  const { year, month, date } = parseLocalDay(day);
  const wall = Date.UTC(year, month - 1, date, hour, 0, 0);
  // Zones change offset at most once within a couple of days: the offsets a day either side are
  // the only candidates.
  const offsets = [...new Set([offsetMs(wall - DAY_MS, timeZone), offsetMs(wall, timeZone), offsetMs(wall + DAY_MS, timeZone)])];
  const exact = offsets.map((o) => wall - o).filter((t) => offsetMs(t, timeZone) === wall - t);
  if (exact.length > 0) return new Date(Math.min(...exact));
  // In a gap (clocks going forward): with the earlier offset the wall time lands just after the jump.
  return new Date(wall - Math.min(...offsets));
}
