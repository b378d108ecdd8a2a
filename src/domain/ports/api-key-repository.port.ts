import type { ApiKey } from '../api-keys/api-key.js';
import type { Tx } from './unit-of-work.port.js';

export interface NewApiKey {
  readonly name: string;
  /** SHA-256 of the whole key (hex). */
  readonly digest: string;
  readonly hint: string;
  readonly createdBy: string;
  readonly createdByName: string;
  readonly createdAt: Date;
  /** The one-time id of the form that asked for it: a second insert with the same id creates nothing. */
  readonly requestId: string | null;
}

export interface ApiKeyRepository {
  /** Null when a key with the same request id exists already. */
  insert(key: NewApiKey, tx?: Tx): Promise<ApiKey | null>;
  /** Whether a key was created by the form with this one-time request id. */
  hasRequest(requestId: string, tx?: Tx): Promise<boolean>;
  /** A live (not revoked) key of this name, compared case-insensitively. */
  findActiveByName(name: string, tx?: Tx): Promise<ApiKey | null>;
  /** Every key, newest first, revoked ones included. */
  list(): Promise<ApiKey[]>;
  findById(id: string): Promise<ApiKey | null>;
  /** A key that is not revoked. */
  findActiveByDigest(digest: string): Promise<ApiKey | null>;
  /** Revokes a live key; null when there is no such key or it was already revoked. */
  revoke(id: string, by: { id: string; name: string }, at: Date, tx?: Tx): Promise<ApiKey | null>;
  /** Records a use; writes at most about once a minute per key. */
  touch(id: string, at: Date): Promise<void>;
}
