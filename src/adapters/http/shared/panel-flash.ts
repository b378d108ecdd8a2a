/*
 * Post/redirect/get for the notification and mail panels: the outcome travels back in query
 * parameters of their own (`selfreg_notify*`, `selfreg_mail*`), never anything a person typed.
 */

export const NOTIFY_PARAMS = ['selfreg_notify', 'selfreg_notify_error', 'selfreg_notify_draft'] as const;
export const MAIL_PARAMS = ['selfreg_mail', 'selfreg_mail_count', 'selfreg_mail_error'] as const;

/** The page a panel is on, as a same-origin path without the panels' own flash parameters. */
export function panelReturnTo(originalUrl: string): string {
  const url = new URL(originalUrl.split('#')[0] ?? '/', 'http://local.invalid');
  for (const key of [...url.searchParams.keys()]) if (/^selfreg_(notify|mail)/.test(key)) url.searchParams.delete(key);
  return url.pathname + url.search;
}

/** `back` (a same-origin path) with this panel's flash parameters replaced, and the panel's anchor. */
export function withPanelFlash(back: string, clear: readonly string[], params: Record<string, string>, anchor: string): string {
  const url = new URL(back, 'http://local.invalid');
  for (const k of clear) url.searchParams.delete(k);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return `${url.pathname}${url.search}#${anchor}`;
}

/** `{name}` placeholders of a catalogue message. */
export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (all, key: string) => (key in values ? String(values[key]) : all));
