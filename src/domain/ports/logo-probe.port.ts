/**
 * What answers at a logo's address, checked before the branding is saved: `ok` (an image),
 * `missing` (the server answers an error status such as 404), `not-image` (it answers, but not
 * with an image), or `unchecked` (it could not be reached or checked in time, or it redirects).
 */
export type LogoCheck = 'ok' | 'missing' | 'not-image' | 'unchecked';

export interface LogoProbe {
  /** `url` is an https:// address or a path on the portal's own site. */
  check(url: string): Promise<LogoCheck>;
}
