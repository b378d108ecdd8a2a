import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import type { ApiKey } from '../../domain/api-keys/api-key.js';
import { displayName } from '../../domain/audit/audit.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { ApiKeyRepository } from '../../domain/ports/api-key-repository.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';

/** Revokes a live key (Super admins): calls with it stop working at once. */
export class RevokeApiKeyUseCase {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly keys: ApiKeyRepository,
    private readonly clock: ClockPort,
  ) {}

  async execute(actor: HostUser | null, id: string): Promise<Result<ApiKey, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.apiKeysManage, actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    const revoked = await this.keys.revoke(id, { id: actor!.id, name: displayName(actor!) }, this.clock.now());
    return revoked ? ok(revoked) : err(refuse(ErrorCodes.API_KEY_NOT_FOUND));
  }
}
