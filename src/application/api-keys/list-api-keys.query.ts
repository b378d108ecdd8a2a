import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import type { ApiKey } from '../../domain/api-keys/api-key.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { ApiKeyRepository } from '../../domain/ports/api-key-repository.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';

/** Every key, newest first, revoked ones included (Super admins). */
export class ListApiKeysQuery {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly keys: ApiKeyRepository,
  ) {}

  async execute(actor: HostUser | null): Promise<Result<ApiKey[], Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.apiKeysManage, actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    return ok(await this.keys.list());
  }
}
