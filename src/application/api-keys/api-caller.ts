import type { ErrorCodes, Refusal } from '../../domain/shared/errors.js';
import type { ApiKey } from '../../domain/api-keys/api-key.js';
import type { Channel } from '../../domain/audit/audit.js';
import type { HostUser } from '../../domain/shared/user.js';

/** Who an API call acts as: the key's owner, as the host knows them now, and the key (for the audit log). */
export interface ApiCaller {
  readonly user: HostUser;
  readonly key: ApiKey;
  readonly channel: Channel;
}

export type AuthRefusal = Refusal<typeof ErrorCodes.AUTH_REQUIRED | typeof ErrorCodes.AUTH_INVALID_KEY>;
