import type { PortalInfo } from '../shared/portal-info.js';

/**
 * What the plugin knows of the portal (name, primary admin, public base URL, time zone), read from
 * the host through one cached place. Its `timeZone` is always one Intl knows (UTC when the host's is
 * not), so no caller repeats that fallback.
 */
export interface PortalFacts {
  info(): Promise<PortalInfo>;
  timeZone(): Promise<string>;
  /** Forgets the cached answer; the next read asks the host again. */
  invalidate(): void;
}
