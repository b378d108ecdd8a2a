/* Times in the portal's time zone: ISO 8601 with the zone's offset (CSV), and a short local form (screen). */

const parts = (date: Date, timeZone: string): Record<string, string> => {
  const out: Record<string, string> = {};
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  for (const p of format.formatToParts(date)) out[p.type] = p.value;
  return out;
};

/** `2026-11-30T14:05:09+01:00`: the wall time in `timeZone` and its offset from UTC then. */
export function isoInZone(date: Date, timeZone: string): string {
  const p = parts(date, timeZone);
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  const offsetMinutes = Math.round((wall - Math.floor(date.getTime() / 1000) * 1000) / 60000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset}`;
}

/** The local calendar day in `timeZone`, `YYYY-MM-DD`. */
export const localDay = (date: Date, timeZone: string): string => isoInZone(date, timeZone).slice(0, 10);

/** `30 Nov 2026, 14:05` in `timeZone`. */
export function displayInZone(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
}
