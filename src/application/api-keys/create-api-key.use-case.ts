import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { generateApiKey, validateApiKeyName, type ApiKey } from '../../domain/api-keys/api-key.js';
import { displayName } from '../../domain/audit/audit.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { RandomSource } from '../../domain/ports/random.port.js';
import type { SecretHasher } from '../../domain/ports/secret-hasher.port.js';
import type { ApiKeyRepository } from '../../domain/ports/api-key-repository.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';

/** Creates a named key (Super admins). `key` is the only time the whole key exists outside the caller's hands: show it once. */
export class CreateApiKeyUseCase {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly keys: ApiKeyRepository,
    private readonly hasher: SecretHasher,
    private readonly random: RandomSource,
    private readonly clock: ClockPort,
  ) {}

  async execute(actor: HostUser | null, nameInput: string): Promise<Result<{ key: string; apiKey: ApiKey }, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.apiKeysManage, actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    const name = validateApiKeyName(nameInput);
    if (!name.ok) return name;
    const { key, hint } = generateApiKey(this.random);
    const apiKey = await this.keys.insert({
      name: name.value,
      digest: this.hasher.hash(key),
      hint,
      createdBy: actor!.id,
      createdByName: displayName(actor!),
      createdAt: this.clock.now(),
    });
    return ok({ key, apiKey });
  }
}
