import type { ApiKey } from '../api-keys/api-key.js';

export interface NewApiKey {
  readonly name: string;
  /** SHA-256 of the whole key (hex). */
  readonly digest: string;
  readonly hint: string;
  readonly createdBy: string;
  readonly createdByName: string;
  readonly createdAt: Date;
}

export interface ApiKeyRepository {
  insert(key: NewApiKey): Promise<ApiKey>;
  /** Every key, newest first, revoked ones included. */
  list(): Promise<ApiKey[]>;
  findById(id: string): Promise<ApiKey | null>;
  /** A key that is not revoked. */
  findActiveByDigest(digest: string): Promise<ApiKey | null>;
  /** Revokes a live key; null when there is no such key or it was already revoked. */
  revoke(id: string, by: { id: string; name: string }, at: Date): Promise<ApiKey | null>;
  /** Records a use; writes at most about once a minute per key. */
  touch(id: string, at: Date): Promise<void>;
}
