import type { ApiKey } from '../../../src/domain/api-keys/api-key.js';
import type { ApiKeyRepository, NewApiKey } from '../../../src/domain/ports/api-key-repository.port.js';
import type { FakeDb } from './fake-db.js';

export class FakeApiKeys implements ApiKeyRepository {
  readonly touches: { id: string; at: Date }[] = [];
  constructor(private readonly db: FakeDb) {}
  private get keys(): (ApiKey & { digest: string; requestId?: string | null })[] {
    return (this.db.state.apiKeys ??= []);
  }
  async insert(key: NewApiKey): Promise<ApiKey | null> {
    if (key.requestId && this.keys.some((k) => k.requestId === key.requestId)) return null;
    const stored = {
      id: this.db.newId('key-'), name: key.name, hint: key.hint, createdBy: key.createdBy, createdByName: key.createdByName,
      createdAt: key.createdAt, lastUsedAt: null, revokedAt: null, revokedByName: null, digest: key.digest,
    };
    this.keys.push({ ...stored, requestId: key.requestId });
    const { digest: _d, ...apiKey } = stored;
    return apiKey;
  }
  async hasRequest(requestId: string): Promise<boolean> {
    return this.keys.some((k) => k.requestId === requestId);
  }
  async findActiveByName(name: string): Promise<ApiKey | null> {
    const k = this.keys.find((x) => x.name.toLowerCase() === name.toLowerCase() && !x.revokedAt);
    if (!k) return null;
    const { digest: _d, requestId: _r, ...apiKey } = k;
    return apiKey;
  }
  async list(): Promise<ApiKey[]> {
    return [...this.keys].reverse().map(({ digest: _d, requestId: _r, ...k }) => k);
  }
  async findById(id: string): Promise<ApiKey | null> {
    const k = this.keys.find((x) => x.id === id);
    if (!k) return null;
    const { digest: _d, requestId: _r, ...apiKey } = k;
    return apiKey;
  }
  async findActiveByDigest(digest: string): Promise<ApiKey | null> {
    const k = this.keys.find((x) => x.digest === digest && !x.revokedAt);
    if (!k) return null;
    const { digest: _d, requestId: _r, ...apiKey } = k;
    return apiKey;
  }
  async revoke(id: string, by: { id: string; name: string }, at: Date): Promise<ApiKey | null> {
    const index = this.keys.findIndex((x) => x.id === id && !x.revokedAt);
    if (index < 0) return null;
    const k = { ...this.keys[index]!, revokedAt: at, revokedByName: by.name };
    this.keys[index] = k;
    const { digest: _d, requestId: _r, ...apiKey } = k;
    return apiKey;
  }
  async touch(id: string, at: Date): Promise<void> {
    this.touches.push({ id, at });
    const index = this.keys.findIndex((x) => x.id === id);
    if (index >= 0) this.keys[index] = { ...this.keys[index]!, lastUsedAt: at };
  }
}
