import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { auditActor, portalSwitchEntry } from '../../domain/audit/audit.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { SettingsRepository } from '../../domain/ports/settings-repository.port.js';
import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';

/**
 * Sets the portal-wide self-registration switch (Super admins). Off: public pages answer that
 * registration is unavailable and no token works; tokens are kept. `changed` is false when it
 * already was in that position (nothing is logged then).
 */
export class SwitchPortalUseCase {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly settings: SettingsRepository,
    private readonly audit: AuditRepository,
    private readonly clock: ClockPort,
  ) {}

  async execute(actor: HostUser | null, enabled: boolean): Promise<Result<{ enabled: boolean; changed: boolean }, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.portalManage, actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    if ((await this.settings.portalEnabled()) === enabled) return ok({ enabled, changed: false });
    await this.settings.setPortalEnabled(enabled);
    await this.audit.append([portalSwitchEntry(enabled, auditActor(actor!), this.clock.now())]);
    return ok({ enabled, changed: true });
  }
}
