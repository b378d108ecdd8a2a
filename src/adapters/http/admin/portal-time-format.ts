/* Dates and times as the admin pages print them: in the portal's time zone, en-GB. */
import { expiryDateInZone } from '../../../domain/tokens/expiry.js';
import { safeTimeZone } from '../../../domain/shared/time-zone.js';

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function fmt(zone: string, withTime: boolean): Intl.DateTimeFormat {
  const timeZone = safeTimeZone(zone);
  const key = `${timeZone}|${withTime}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      ...(withTime && { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const }),
    });
    dateFormats.set(key, f);
  }
  return f;
}

/** "30 Jun 2026". */
export const formatDate = (d: Date, timeZone: string): string => fmt(timeZone, false).format(d);
/** "30 Jun 2026, 14:05". */
export const formatDateTime = (d: Date, timeZone: string): string => fmt(timeZone, true).format(d);

/** "30 Jun 2026": the last day a token works, in the portal's time zone. */
export function formatExpiryDay(expiresAt: Date, zone: string): string {
  const timeZone = safeTimeZone(zone);
  const [y, m, d] = expiryDateInZone(expiresAt, timeZone).split('-').map(Number) as [number, number, number];
  return formatDate(new Date(Date.UTC(y, m - 1, d, 12)), 'UTC');
}
