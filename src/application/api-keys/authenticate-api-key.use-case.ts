import { ErrorCodes, refuse } from '../../domain/shared/errors.js';
import { bearerKey, looksLikeApiKey } from '../../domain/api-keys/api-key.js';
import { err, ok, type Result } from '../../domain/shared/result.js';
import type { UsersPort } from '../../domain/ports/users.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import type { SecretHasher } from '../../domain/ports/secret-hasher.port.js';
import type { ApiKeyRepository } from '../../domain/ports/api-key-repository.port.js';
import type { ApiCaller, AuthRefusal } from './api-caller.js';

/**
 * Reads `Authorization: Bearer <key>`. A call with a key acts as the key's creator with that person's
 * permissions as they are at the time of the call (each use case checks them): a suspended or deleted
 * owner makes the key stop working at once.
 */
export class AuthenticateApiKeyUseCase {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly users: UsersPort,
    private readonly hasher: SecretHasher,
    private readonly clock: ClockPort,
  ) {}

  async execute(authorization: string | undefined | null): Promise<Result<ApiCaller, AuthRefusal>> {
    const key = bearerKey(authorization);
    if (key === null) return err(refuse(ErrorCodes.AUTH_REQUIRED));
    if (!looksLikeApiKey(key)) return err(refuse(ErrorCodes.AUTH_INVALID_KEY));
    const apiKey = await this.keys.findActiveByDigest(this.hasher.hash(key));
    if (!apiKey) return err(refuse(ErrorCodes.AUTH_INVALID_KEY));
    const user = await this.users.findById(apiKey.createdBy);
    if (!user || user.status !== 'active') return err(refuse(ErrorCodes.AUTH_INVALID_KEY));
    await this.keys.touch(apiKey.id, this.clock.now());
    return ok({ user, key: apiKey, channel: { via: 'api', apiKeyId: apiKey.id, apiKeyName: apiKey.name } });
  }
}
