/* The portal port: name, primary admin and time zone from sandbox_portal; the public URL from configuration, never the request. */
import type { PortalInfo, PortalPort } from '../../src/contract/index.js';
import type { HostContext } from './host-context.js';

export function createPortalPort(ctx: HostContext): PortalPort {
  return {
    async info(): Promise<PortalInfo> {
      const row = await ctx.knex('sandbox_portal').where({ id: 1 }).first();
      return {
        name: (row?.name as string | undefined) ?? ctx.config.portalName,
        primaryAdminEmail: (row?.primary_admin_email as string | undefined) ?? ctx.config.adminEmail,
        publicBaseUrl: ctx.config.publicBaseUrl,
        timeZone: (row?.time_zone as string | undefined) ?? ctx.config.timeZone,
      };
    },
  };
}
