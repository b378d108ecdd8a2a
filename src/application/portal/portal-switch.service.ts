import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { auditActor, portalSwitchEntry } from '../../domain/audit/audit.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import { canManagePortal, canManageTokens, type HostUser } from '../../domain/shared/user.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { SettingsRepository } from '../../domain/ports/repositories.port.js';
import type { AuditRepository } from '../../domain/ports/token-admin.port.js';

/**
 * The portal-wide self-registration switch. Off: public pages answer that registration is
 * unavailable and no token works; tokens are kept. Only Super admins flip it; every admin may see it.
 */
export class PortalSwitchService {
  constructor(
    private readonly settings: SettingsRepository,
    private readonly audit: AuditRepository,
    private readonly clock: ClockPort,
  ) {}

  async status(actor: HostUser | null): Promise<Result<{ enabled: boolean; canChange: boolean }, Refusal>> {
    if (!canManageTokens(actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    return ok({ enabled: await this.settings.portalEnabled(), canChange: canManagePortal(actor) });
  }

  /** Sets the switch; `changed` is false when it already was in that position (nothing is logged then). */
  async setEnabled(actor: HostUser | null, enabled: boolean): Promise<Result<{ enabled: boolean; changed: boolean }, Refusal>> {
    if (!canManagePortal(actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    if ((await this.settings.portalEnabled()) === enabled) return ok({ enabled, changed: false });
    await this.settings.setPortalEnabled(enabled);
    await this.audit.append([portalSwitchEntry(enabled, auditActor(actor!), this.clock.now())]);
    return ok({ enabled, changed: true });
  }
}
