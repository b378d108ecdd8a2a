import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import { brandingForDisplay, canManageBranding } from '../../domain/branding/branding.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { Branding, SettingsRepository } from '../../domain/ports/repositories.port.js';

/** What the Registration page panel shows an admin (uncached: an admin must see what is stored now). */
export class CurrentBrandingQuery {
  constructor(private readonly settings: SettingsRepository) {}

  async execute(actor: HostUser | null): Promise<Result<Branding, Refusal<typeof ErrorCodes.PERMISSION_DENIED>>> {
    if (!canManageBranding(actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    return ok(brandingForDisplay(await this.settings.branding()));
  }
}
