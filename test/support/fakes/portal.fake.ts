import type { PortalInfo, PortalPort } from '../../../src/domain/ports/host.ports.js';

export class FakePortal implements PortalPort {
  constructor(public portal: PortalInfo) {}
  async info(): Promise<PortalInfo> {
    return this.portal;
  }
}
