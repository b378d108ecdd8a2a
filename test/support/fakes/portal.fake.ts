import type { PortalInfo } from '../../../src/domain/shared/portal-info.js';
import type { PortalPort } from '../../../src/domain/ports/portal.port.js';

export class FakePortal implements PortalPort {
  constructor(public portal: PortalInfo) {}
  async info(): Promise<PortalInfo> {
    return this.portal;
  }
}
