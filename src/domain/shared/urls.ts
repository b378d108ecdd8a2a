/*
 * URL safety rules shared by branding, emails and notifications: which characters a link may never
 * hold, what a path on the portal's own site looks like, and the http(s) shapes accepted. Pure
 * string rules: no URL parser, no I/O.
 */

// eslint-disable-next-line no-control-regex
const UNSAFE_IN_URL = /[\u0000-\u0020\u007f"'<>\\`]/;

/** Spaces, control characters, quotes, angle brackets, backslashes or backticks: never in a link we print. */
export const hasUnsafeUrlCharacters = (value: string): boolean => UNSAFE_IN_URL.test(value);

/** A path on the portal's own site: `/x`, never `//host` or `/\host`, and no unsafe characters. */
export const SITE_PATH = /^\/(?![/\\])[^\s"'<>\\`]*$/;

export const isSitePath = (value: string): boolean => SITE_PATH.test(value);

// No spaces, quotes, angle brackets or backslashes anywhere; a host name after the scheme.
const URL_BODY = String.raw`[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?(?:[/?#][^\s"'<>\\` + '`' + String.raw`]*)?`;
const HTTPS_URL = new RegExp(`^https://${URL_BODY}$`);
const HTTP_URL = new RegExp(`^https?://${URL_BODY}$`);

/** An absolute https:// URL with a host name and nothing unsafe in it. */
export const isHttpsUrl = (value: string): boolean => HTTPS_URL.test(value);

/** An absolute http:// or https:// URL with a host name and nothing unsafe in it. */
export const isHttpUrl = (value: string): boolean => HTTP_URL.test(value);

/**
 * A link a host gave that an email may use: a same-origin path, or an absolute http(s) URL (at
 * most 2000 characters, nothing unsafe in it).
 */
export function isLinkable(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return false;
  if (hasUnsafeUrlCharacters(value)) return false;
  if (value.startsWith('/')) return !value.startsWith('//');
  return /^https?:\/\/[^/]/i.test(value);
}

const PROBE_ORIGIN = 'http://same-origin.invalid';

/**
 * A redirect target on the portal's own site, as a browser would resolve it: the value is
 * normalised (dot segments, percent-encoded dots, backslashes read as slashes, as browsers do) and
 * kept only if it still names a path on this origin that cannot be read as `//other-host`. Returns
 * the normalised path with its query and fragment, or null.
 */
export function sameOriginPath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return null;
  // eslint-disable-next-line no-control-regex
  if (!value.startsWith('/') || /[\u0000-\u001f\u007f-\u009f]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== PROBE_ORIGIN || url.username || url.password) return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // A path that begins with two slashes (or a slash and a backslash) is another host to a browser.
  if (/^\/[/\\]/.test(path) || /%2f|%5c/i.test(url.pathname.slice(0, 4))) return null;
  return path;
}
