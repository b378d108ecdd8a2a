import { isValidTimeZone } from '../../domain/shared/time-zone.js';
import type { PortalPort } from '../../domain/ports/host.ports.js';

/** The portal's time zone; UTC if the host ever hands over a name Intl does not know. */
export async function portalTimeZone(portal: PortalPort): Promise<string> {
  const { timeZone } = await portal.info();
  return isValidTimeZone(timeZone) ? timeZone : 'UTC';
}
