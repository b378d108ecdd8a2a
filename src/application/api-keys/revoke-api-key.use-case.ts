import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import type { ApiKey } from '../../domain/api-keys/api-key.js';
import { auditActor, displayName, PANEL, type Channel } from '../../domain/audit/audit.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { ApiKeyRepository } from '../../domain/ports/api-key-repository.port.js';
import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import { apiKeyEntry } from '../../domain/audit/settings-entries.js';

/** Revokes a live key (Super admins): calls with it stop working at once; the audit log says who did it. */
export class RevokeApiKeyUseCase {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly uow: UnitOfWork,
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditRepository,
    private readonly clock: ClockPort,
  ) {}

  async execute(actor: HostUser | null, id: string, channel: Channel = PANEL): Promise<Result<ApiKey, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.apiKeysManage, actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    const at = this.clock.now();
    return this.uow.run(async (tx) => {
      const revoked = await this.keys.revoke(id, { id: actor!.id, name: displayName(actor!) }, at, tx);
      if (!revoked) return err(refuse(ErrorCodes.API_KEY_NOT_FOUND));
      await this.audit.append([apiKeyEntry('apikey.revoked', revoked, auditActor(actor!, channel), at)], tx);
      return ok(revoked);
    });
  }
}
