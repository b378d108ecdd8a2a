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
