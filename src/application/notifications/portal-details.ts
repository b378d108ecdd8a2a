import type { PortalInfo } from '../../domain/shared/portal-info.js';
import type { PortalPort } from '../../domain/ports/portal.port.js';

/**
 * The portal's details (primary admin, time zone) as last read, shared by the notification use cases.
 * They are read outside any transaction and kept: a registration's transaction must not wait on
 * another connection to learn them.
 */
export class PortalDetails {
  private last: PortalInfo | null = null;

  constructor(private readonly portal: PortalPort) {}

  /** Reads them again, and keeps them. */
  async refresh(): Promise<PortalInfo> {
    this.last = await this.portal.info();
    return this.last;
  }

  /** As last read (null before the first refresh). */
  get known(): PortalInfo | null {
    return this.last;
  }
}
