import type { PortalInfo, PortalPort } from '../../../domain/ports/host.ports.js';
import { isValidTimeZone } from '../../../domain/shared/time-zone.js';

/** The portal's facts, with a time zone Intl knows (UTC if the host ever gives an unknown name). */
export async function portalFacts(portal: PortalPort): Promise<PortalInfo> {
  const info = await portal.info();
  return isValidTimeZone(info.timeZone) ? info : { ...info, timeZone: 'UTC' };
}
