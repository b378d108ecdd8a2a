/*
 * Token expiry: an admin picks a calendar date; the token works until the END of that day in the
 * portal's time zone. We store the instant the next day begins there (an exclusive bound): a token
 * is expired once `now >= expiresAt`, which is exactly what `tokenStatus` checks.
 *
 * Pure: Intl's time-zone data is a table lookup, not I/O.
 */
import { err, ok, type Result } from '../shared/result.js';
import { ErrorCodes, refuse, refuseWith, type Refusal } from '../shared/errors.js';
import { dayNumber, isValidTimeZone, isoDate, localDay as localDayIn, offsetMs, wallTime } from '../shared/time-zone.js';

/** A calendar date as `YYYY-MM-DD`. */
export type CalendarDate = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Latest date an admin may pick: far enough for anyone, small enough to stay a real date everywhere. */
export const LATEST_EXPIRY_DATE = '2099-12-31';

interface Ymd {
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

/** The local calendar day at `instant`, as a day count since 1970-01-01 (comparable). */
const localDay = (instant: number, timeZone: string): number => dayNumber(localDayIn(instant, timeZone));

/** Offset of local wall time from UTC at `instant`, in ms (positive east of Greenwich). */
const offsetAt = offsetMs;

export function parseCalendarDate(input: string): Ymd | null {
  const match = DATE_RE.exec(input);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (y < 1970 || m < 1 || m > 12 || d < 1) return null;
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return null; // 2026-02-30 and friends
  return { y, m, d };
}

/**
 * The instant the calendar day `date` ends in `timeZone`: the first instant whose local date is
 * later. Normally that is local midnight of the next day; where a DST change skips or repeats
 * midnight it is still the exact moment the day is over.
 */
export function endOfDayInZone(date: CalendarDate, timeZone: string): Date {
  const key = `${date}|${timeZone}`;
  const known = endOfDayMemo.get(key);
  if (known !== undefined) return new Date(known);
  const end = computeEndOfDay(date, timeZone);
  if (endOfDayMemo.size >= 2000) endOfDayMemo.clear();
  endOfDayMemo.set(key, end.getTime());
  return end;
}

/** Answers already worked out (a file of 50,000 rows names a handful of dates): the function is pure, so they never go stale. */
const endOfDayMemo = new Map<string, number>();

function computeEndOfDay(date: CalendarDate, timeZone: string): Date {
  const ymd = parseCalendarDate(date);
  if (!ymd) throw new RangeError(`Not a calendar date: ${date}`);
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown time zone: ${timeZone}`);
  const day = dayNumber(date);
  const isAfterDay = (instant: number): boolean => localDay(instant, timeZone) > day;

  // Next local midnight, read as if it were UTC, then corrected by the zone's offset (twice, since
  // the offset at the guess may differ from the offset at the answer across a DST change).
  const wall = Date.UTC(ymd.y, ymd.m - 1, ymd.d + 1);
  const first = wall - offsetAt(wall, timeZone);
  const guess = wall - offsetAt(first, timeZone);
  if (isAfterDay(guess) && !isAfterDay(guess - 1)) return new Date(guess);

  // Midnight skipped or repeated: find the boundary by bisection. Offsets lie within ±15 h.
  let lo = wall - 15 * 3_600_000; // certainly still `date` (or earlier) locally
  let hi = wall + 15 * 3_600_000; // certainly after it
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (isAfterDay(mid)) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/** The calendar date (in `timeZone`) on which a token expiring at `expiresAt` ends: its last day. */
export function expiryDateInZone(expiresAt: Date, timeZone: string): CalendarDate {
  return isoDate(wallTime(expiresAt.getTime() - 1, timeZone));
}

/** Today's calendar date in `timeZone`. */
export function todayInZone(now: Date, timeZone: string): CalendarDate {
  return expiryDateInZone(new Date(now.getTime() + 1), timeZone);
}

export type ExpiryRefusal = Refusal<typeof ErrorCodes.TOKEN_EXPIRY_INVALID | typeof ErrorCodes.TOKEN_EXPIRY_IN_PAST>;

/**
 * An admin's chosen expiry date → the instant the token stops working. Blank means never.
 * A date whose end has already passed is refused (a token that is expired on creation helps no one).
 */
export function expiryFromDate(input: string | null | undefined, timeZone: string, now: Date): Result<Date | null, ExpiryRefusal> {
  const value = (input ?? '').trim();
  if (value === '') return ok(null);
  if (!parseCalendarDate(value) || value > LATEST_EXPIRY_DATE) {
    return err(refuseWith(ErrorCodes.TOKEN_EXPIRY_INVALID, { latest: LATEST_EXPIRY_DATE }));
  }
  const end = endOfDayInZone(value, timeZone);
  if (end.getTime() <= now.getTime()) return err(refuse(ErrorCodes.TOKEN_EXPIRY_IN_PAST));
  return ok(end);
}

/**
 * An edit form sends the date it showed back unchanged: keep the stored instant then (even if it
 * is already past, or the portal's time zone changed since), and read any other date afresh.
 */
export function expiryChange(current: Date | null, input: string | null | undefined, timeZone: string, now: Date): Result<Date | null, ExpiryRefusal> {
  const value = (input ?? '').trim();
  if (current && value !== '' && value === expiryDateInZone(current, timeZone)) return ok(current);
  return expiryFromDate(value, timeZone, now);
}
