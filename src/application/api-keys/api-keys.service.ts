import { ErrorCodes, refuse, type Refusal } from '../../domain/shared/errors.js';
import { bearerKey, generateApiKey, looksLikeApiKey, validateApiKeyName, type ApiKey } from '../../domain/api-keys/api-key.js';
import { displayName, type Channel } from '../../domain/audit/audit.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import { canManagePortal, type HostUser } from '../../domain/shared/user.js';
import type { UsersPort } from '../../domain/ports/host.ports.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { RandomSource } from '../../domain/ports/random.port.js';
import type { SecretHasher } from '../../domain/ports/repositories.port.js';
import type { ApiKeyRepository } from '../../domain/ports/token-admin.port.js';

export interface ApiKeysPorts {
  readonly keys: ApiKeyRepository;
  readonly users: UsersPort;
  readonly hasher: SecretHasher;
  readonly random: RandomSource;
  readonly clock: ClockPort;
}

/** Who an API call acts as: the key's owner, as the host knows them now, and the key (for the audit log). */
export interface ApiCaller {
  readonly user: HostUser;
  readonly key: ApiKey;
  readonly channel: Channel;
}

export type AuthRefusal = Refusal<typeof ErrorCodes.AUTH_REQUIRED | typeof ErrorCodes.AUTH_INVALID_KEY>;

/**
 * API keys: Super admins create (the key is returned once), list and revoke them. A call with a key
 * acts as the key's creator with that person's permissions as they are at the time of the call: a
 * suspended or deleted owner makes the key stop working at once.
 */
export class ApiKeysService {
  constructor(private readonly p: ApiKeysPorts) {}

  async list(actor: HostUser | null): Promise<Result<ApiKey[], Refusal>> {
    if (!canManagePortal(actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    return ok(await this.p.keys.list());
  }

  /** Creates a key. `key` is the only time the whole key exists outside the caller's hands: show it once. */
  async create(actor: HostUser | null, nameInput: string): Promise<Result<{ key: string; apiKey: ApiKey }, Refusal>> {
    if (!canManagePortal(actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    const name = validateApiKeyName(nameInput);
    if (!name.ok) return name;
    const { key, hint } = generateApiKey(this.p.random);
    const apiKey = await this.p.keys.insert({
      name: name.value,
      digest: this.p.hasher.hash(key),
      hint,
      createdBy: actor!.id,
      createdByName: displayName(actor!),
      createdAt: this.p.clock.now(),
    });
    return ok({ key, apiKey });
  }

  async revoke(actor: HostUser | null, id: string): Promise<Result<ApiKey, Refusal>> {
    if (!canManagePortal(actor)) return err(refuse(ErrorCodes.PERMISSION_DENIED));
    const revoked = await this.p.keys.revoke(id, { id: actor!.id, name: displayName(actor!) }, this.p.clock.now());
    return revoked ? ok(revoked) : err(refuse(ErrorCodes.API_KEY_NOT_FOUND));
  }

  /** Reads `Authorization: Bearer <key>`; the permission to act is then checked by each use case. */
  async authenticate(authorization: string | undefined | null): Promise<Result<ApiCaller, AuthRefusal>> {
    const key = bearerKey(authorization);
    if (key === null) return err(refuse(ErrorCodes.AUTH_REQUIRED));
    if (!looksLikeApiKey(key)) return err(refuse(ErrorCodes.AUTH_INVALID_KEY));
    const apiKey = await this.p.keys.findActiveByDigest(this.p.hasher.hash(key));
    if (!apiKey) return err(refuse(ErrorCodes.AUTH_INVALID_KEY));
    const user = await this.p.users.findById(apiKey.createdBy);
    if (!user || user.status !== 'active') return err(refuse(ErrorCodes.AUTH_INVALID_KEY));
    await this.p.keys.touch(apiKey.id, this.p.clock.now());
    return ok({ user, key: apiKey, channel: { via: 'api', apiKeyId: apiKey.id, apiKeyName: apiKey.name } });
  }
}
