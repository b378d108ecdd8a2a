import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { ApiKey } from '../../domain/api-keys/api-key.js';
import type { ApiKeyRepository, NewApiKey } from '../../domain/ports/api-key-repository.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { TYPES } from '../../types.js';
import { dateOrNull, idString, on } from '../shared/knex-helpers.js';

interface ApiKeyRow {
  id: string | number;
  name: string;
  key_hint: string;
  created_by: string;
  created_by_name: string;
  created_at: string | Date;
  last_used_at: string | Date | null;
  revoked_at: string | Date | null;
  revoked_by_name: string | null;
}

const TABLE = 'selfreg_api_keys';
const ID_RE = /^\d{1,18}$/;
/** A key's last use is written at most this often: one write a minute, not one per request. */
const TOUCH_INTERVAL_MS = 60_000;
const COLUMNS = ['id', 'name', 'key_hint', 'created_by', 'created_by_name', 'created_at', 'last_used_at', 'revoked_at', 'revoked_by_name'];

/** API keys by SHA-256 digest; the key itself is never stored. */
@injectable()
export class KnexApiKeyRepository implements ApiKeyRepository {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async insert(key: NewApiKey, tx?: Tx): Promise<ApiKey | null> {
    const [row] = (await on(this.knex, tx)(TABLE)
      .insert({
        name: key.name,
        key_digest: key.digest,
        key_hint: key.hint,
        created_by: key.createdBy,
        created_by_name: key.createdByName,
        created_at: key.createdAt,
        request_id: key.requestId,
      })
      .onConflict('request_id')
      .ignore()
      .returning(COLUMNS)) as ApiKeyRow[];
    return row ? toApiKey(row) : null;
  }

  async hasRequest(requestId: string, tx?: Tx): Promise<boolean> {
    return (await on(this.knex, tx)(TABLE).where({ request_id: requestId }).first('id')) !== undefined;
  }

  async findActiveByName(name: string, tx?: Tx): Promise<ApiKey | null> {
    const row: ApiKeyRow | undefined = await on(this.knex, tx)(TABLE).whereRaw('lower(name) = lower(?)', [name]).whereNull('revoked_at').first(COLUMNS);
    return row ? toApiKey(row) : null;
  }

  async list(): Promise<ApiKey[]> {
    const rows: ApiKeyRow[] = await this.knex(TABLE).orderBy('id', 'desc').select(COLUMNS);
    return rows.map(toApiKey);
  }

  async findById(id: string): Promise<ApiKey | null> {
    if (!ID_RE.test(id)) return null;
    const row: ApiKeyRow | undefined = await this.knex(TABLE).where({ id }).first(COLUMNS);
    return row ? toApiKey(row) : null;
  }

  async findActiveByDigest(digest: string): Promise<ApiKey | null> {
    const row: ApiKeyRow | undefined = await this.knex(TABLE).where({ key_digest: digest }).whereNull('revoked_at').first(COLUMNS);
    return row ? toApiKey(row) : null;
  }

  async revoke(id: string, by: { id: string; name: string }, at: Date, tx?: Tx): Promise<ApiKey | null> {
    if (!ID_RE.test(id)) return null;
    const rows = (await on(this.knex, tx)(TABLE)
      .where({ id })
      .whereNull('revoked_at')
      .update({ revoked_at: at, revoked_by: by.id, revoked_by_name: by.name })
      .returning(COLUMNS)) as ApiKeyRow[];
    return rows[0] ? toApiKey(rows[0]) : null;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.knex(TABLE)
      .where({ id })
      .andWhere((q) => q.whereNull('last_used_at').orWhere('last_used_at', '<', new Date(at.getTime() - TOUCH_INTERVAL_MS)))
      .update({ last_used_at: at });
  }
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: idString(row.id),
    name: row.name,
    hint: row.key_hint,
    createdBy: row.created_by,
    createdByName: row.created_by_name,
    createdAt: new Date(row.created_at),
    lastUsedAt: dateOrNull(row.last_used_at),
    revokedAt: dateOrNull(row.revoked_at),
    revokedByName: row.revoked_by_name,
  };
}
