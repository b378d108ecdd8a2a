import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { SettingsRepository } from '../../domain/ports/settings-repository.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';

/**
 * The portal-wide self-registration switch as an admin sees it. Every admin who manages tokens may
 * see it; `canChange` says whether this one may flip it.
 */
export class PortalStatusQuery {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly settings: SettingsRepository,
  ) {}

  async execute(actor: HostUser | null): Promise<Result<{ enabled: boolean; canChange: boolean }, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.tokensManage, actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    return ok({ enabled: await this.settings.portalEnabled(), canChange: this.permissions.allows(PERMISSION_IDS.portalManage, actor) });
  }
}
