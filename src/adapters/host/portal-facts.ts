import type { PortalInfo, PortalPort } from '../../contract/index.js';
import type { PortalFacts } from '../../domain/ports/portal-facts.port.js';
import { safeTimeZone } from '../../domain/shared/time-zone.js';

/** How long one answer of portal.info() is reused: long enough for a page's reads, short enough for a settings change. */
export const PORTAL_FACTS_TTL_MS = 2_000;

/**
 * The portal's facts, asked of the host at most once per short interval (concurrent readers share
 * one call), with the time zone made safe once. A failed read is not cached.
 */
export class CachedPortalFacts implements PortalFacts {
  private cached: { at: number; info: Promise<PortalInfo> } | null = null;

  constructor(
    private readonly portal: PortalPort,
    private readonly ttlMs: number = PORTAL_FACTS_TTL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  info(): Promise<PortalInfo> {
    const at = this.now();
    if (this.cached && at - this.cached.at < this.ttlMs) return this.cached.info;
    const info = this.portal.info().then((raw) => {
      const timeZone = safeTimeZone(raw.timeZone);
      return timeZone === raw.timeZone ? raw : { ...raw, timeZone };
    });
    const entry = { at, info };
    this.cached = entry;
    info.catch(() => {
      if (this.cached === entry) this.cached = null;
    });
    return info;
  }

  async timeZone(): Promise<string> {
    return (await this.info()).timeZone;
  }

  invalidate(): void {
    this.cached = null;
  }
}
