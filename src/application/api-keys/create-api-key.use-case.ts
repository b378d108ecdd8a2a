import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { generateApiKey, validateApiKeyName, type ApiKey } from '../../domain/api-keys/api-key.js';
import { auditActor, displayName, PANEL, type Channel } from '../../domain/audit/audit.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { HostUser } from '../../domain/shared/user.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { RandomSource } from '../../domain/ports/random.port.js';
import type { SecretHasher } from '../../domain/ports/secret-hasher.port.js';
import type { ApiKeyRepository } from '../../domain/ports/api-key-repository.port.js';
import type { AuditRepository } from '../../domain/ports/audit-repository.port.js';
import type { UnitOfWork } from '../../domain/ports/unit-of-work.port.js';
import { PERMISSION_IDS, type PermissionsPort } from '../../domain/ports/permissions.port.js';
import { apiKeyEntry } from '../../domain/audit/settings-entries.js';

/**
 * Creates a named key (Super admins). `key` is the only time the whole key exists outside the
 * caller's hands: show it once. A live key's name is not given twice; the same form (its
 * `requestId`) posted again creates nothing. The key and its audit entry commit together.
 */
export class CreateApiKeyUseCase {
  constructor(
    private readonly permissions: PermissionsPort,
    private readonly uow: UnitOfWork,
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditRepository,
    private readonly hasher: SecretHasher,
    private readonly random: RandomSource,
    private readonly clock: ClockPort,
  ) {}

  async execute(actor: HostUser | null, nameInput: string, requestId: string | null = null, channel: Channel = PANEL): Promise<Result<{ key: string; apiKey: ApiKey }, Refusal>> {
    if (!this.permissions.allows(PERMISSION_IDS.apiKeysManage, actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    const name = validateApiKeyName(nameInput);
    if (!name.ok) return name;
    const { key, hint } = generateApiKey(this.random);
    const at = this.clock.now();
    return this.uow.run(async (tx) => {
      if (requestId && (await this.keys.hasRequest(requestId, tx))) return err(refuse(ErrorCodes.API_KEY_ALREADY_CREATED));
      if (await this.keys.findActiveByName(name.value, tx)) return err(refuse(ErrorCodes.API_KEY_NAME_TAKEN));
      const apiKey = await this.keys.insert({ name: name.value, digest: this.hasher.hash(key), hint, createdBy: actor!.id, createdByName: displayName(actor!), createdAt: at, requestId }, tx);
      if (!apiKey) return err(refuse(ErrorCodes.API_KEY_ALREADY_CREATED));
      await this.audit.append([apiKeyEntry('apikey.created', apiKey, auditActor(actor!, channel), at)], tx);
      return ok({ key, apiKey });
    });
  }
}
