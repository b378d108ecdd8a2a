/*
 * Post/redirect/get for every form the plugin renders (panels and admin pages): after a POST the
 * answer is a 303 back to the page the form was on, with the outcome in query parameters of the
 * plugin's own (`selfreg…`) — codes and ids only, never anything a person typed (that goes to the
 * form-draft store). The page's own query parameters are kept.
 */

const FLASH_PREFIX = 'selfreg';

const local = (pathWithQuery: string): URL => new URL(pathWithQuery.split('#')[0] || '/', 'http://local.invalid');

function withoutFlash(url: URL): URL {
  for (const k of [...url.searchParams.keys()]) if (k.startsWith(FLASH_PREFIX)) url.searchParams.delete(k);
  return url;
}

/** The page's own path and query without any flash parameters: where a form on it returns to. */
export function returnPath(pathWithQuery: string): string {
  const url = withoutFlash(local(pathWithQuery));
  return url.pathname + url.search;
}

/**
 * `back` (a same-origin path) with earlier flash parameters replaced by `params` (undefined values
 * left out), and `#anchor` so the browser scrolls to the form's panel.
 */
export function withFlash(back: string, params: Record<string, string | undefined>, anchor?: string): string {
  const url = withoutFlash(local(back));
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return `${url.pathname}${url.search}${anchor ? `#${anchor}` : ''}`;
}

/** `{name}` placeholders of a catalogue message. */
export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (all, key: string) => (key in values ? String(values[key]) : all));
