import type { PortalInfo } from '../shared/portal-info.js';

export interface PortalPort {
  info(): Promise<PortalInfo>;
}
