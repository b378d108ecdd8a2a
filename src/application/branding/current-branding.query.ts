import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import { brandingForDisplay } from '../../domain/branding/branding.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { Branding } from '../../domain/branding/branding-settings.js';
import type { SettingsRepository } from '../../domain/ports/settings-repository.port.js';
import type { PortalPort } from '../../domain/ports/portal.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';

/** The branding as stored, and the portal it belongs to (the panel names it and links to its page). */
export interface CurrentBranding {
  readonly branding: Branding;
  readonly portalName: string;
  readonly publicBaseUrl: string;
}

/** What the Registration page panel shows an admin (uncached: an admin must see what is stored now). */
export class CurrentBrandingQuery {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly settings: SettingsRepository,
    private readonly portal: PortalPort,
  ) {}

  async execute(actor: HostUser | null): Promise<Result<CurrentBranding, Refusal<typeof ErrorCodes.PERMISSION_DENIED>>> {
    if (!this.permissions.allows(PERMISSION_IDS.brandingManage, actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    const [stored, portal] = await Promise.all([this.settings.branding(), this.portal.info()]);
    return ok({ branding: brandingForDisplay(stored), portalName: portal.name, publicBaseUrl: portal.publicBaseUrl });
  }
}
