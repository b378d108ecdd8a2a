import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { AuditAction, AuditChannel, AuditDetails, AuditEntry, NewAuditEntry } from '../../domain/audit/audit.js';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { AuditQuery, AuditRepository } from '../../domain/ports/audit-repository.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { TYPES } from '../../types.js';
import { idString, on } from '../shared/knex-helpers.js';

interface AuditRow {
  id: string | number;
  at: string | Date;
  action: AuditAction;
  actor_id: string | null;
  actor_name: string;
  via: AuditChannel;
  api_key_id: string | number | null;
  api_key_name: string | null;
  token_id: string | number | null;
  token_nickname: string | null;
  item_type: string | null;
  item_id: string | null;
  details: unknown;
}

const TABLE = 'selfreg_audit_log';
/** Above this many entries, one statement of arrays. */
const MANY = 50;
const ID_RE = /^\d{1,18}$/;

/** The audit log of token events: append-only; entries outlive their token. */
@injectable()
export class KnexAuditRepository implements AuditRepository {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async append(entries: readonly NewAuditEntry[], tx?: Tx): Promise<void> {
    if (entries.length === 0) return;
    if (entries.length > MANY) return this.appendMany(entries, tx);
    await on(this.knex, tx)(TABLE).insert(
      entries.map((e) => ({
        at: e.at,
        action: e.action,
        actor_id: e.actor.id,
        actor_name: e.actor.name.slice(0, 200),
        via: e.actor.via,
        api_key_id: e.actor.apiKeyId ?? null,
        api_key_name: e.actor.apiKeyName ?? null,
        token_id: e.tokenId,
        token_nickname: e.tokenNickname,
        item_type: e.item?.type ?? null,
        item_id: e.item?.id ?? null,
        details: JSON.stringify(e.details),
      })),
    );
  }

  /** Many entries (an import's, thousands) in one statement of arrays, instead of a statement with a binding per value. */
  private async appendMany(entries: readonly NewAuditEntry[], tx?: Tx): Promise<void> {
    const col = <T>(f: (e: NewAuditEntry) => T): T[] => entries.map(f);
    await on(this.knex, tx).raw(
      `insert into ${TABLE} (at, action, actor_id, actor_name, via, api_key_id, api_key_name, token_id, token_nickname, item_type, item_id, details)
       select * from unnest(?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::jsonb[])`,
      [
        col((e) => e.at.toISOString()), col((e) => e.action), col((e) => e.actor.id), col((e) => e.actor.name.slice(0, 200)), col((e) => e.actor.via),
        col((e) => e.actor.apiKeyId ?? null), col((e) => e.actor.apiKeyName ?? null), col((e) => e.tokenId), col((e) => e.tokenNickname),
        col((e) => e.item?.type ?? null), col((e) => e.item?.id ?? null), col((e) => JSON.stringify(e.details)),
      ] as unknown as Knex.RawBinding[],
    );
  }

  async list(query: AuditQuery): Promise<{ entries: AuditEntry[]; hasMore: boolean }> {
    if ((query.beforeId !== undefined && !ID_RE.test(query.beforeId)) || (query.tokenId !== undefined && !ID_RE.test(query.tokenId))) {
      return { entries: [], hasMore: false };
    }
    const q = this.knex(TABLE).orderBy('id', 'desc').limit(query.limit + 1);
    if (query.item) q.where({ item_type: query.item.type, item_id: query.item.id });
    if (query.tokenId) q.where({ token_id: query.tokenId });
    if (query.beforeId) q.where('id', '<', query.beforeId);
    const rows: AuditRow[] = await q.select('*');
    return { entries: rows.slice(0, query.limit).map(toEntry), hasMore: rows.length > query.limit };
  }
}

function toEntry(row: AuditRow): AuditEntry {
  const details = (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as AuditDetails | null;
  return {
    id: idString(row.id),
    at: new Date(row.at),
    action: row.action,
    actor: {
      id: row.actor_id,
      name: row.actor_name,
      via: row.via,
      apiKeyId: row.api_key_id == null ? null : idString(row.api_key_id),
      apiKeyName: row.api_key_name,
    },
    tokenId: row.token_id == null ? null : idString(row.token_id),
    tokenNickname: row.token_nickname,
    item: row.item_type && row.item_id ? { type: row.item_type as KnowledgeRef['type'], id: row.item_id } : null,
    details: details ?? {},
  };
}
