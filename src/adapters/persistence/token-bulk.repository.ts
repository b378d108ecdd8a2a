import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { Token, TokenPatch, TokenStatus } from '../../domain/tokens/token.js';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { NewBulkToken, TokenBulkRepository } from '../../domain/ports/token-bulk-repository.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { CodeProtector } from '../crypto/crypto.adapters.js';
import { TYPES } from '../../types.js';
import { on } from '../shared/knex-helpers.js';
import { tokenOfRow, type TokenRow } from './token-row.js';
import { lockClaimsOfTokens, shardColumns, USES_SQL } from './token-uses.js';

const TABLE = 'selfreg_tokens';
const ID_RE = /^\d{1,18}$/;

/**
 * Tokens many at a time, for imports and batches: lookups by a list of ids or codes, and writes of a
 * whole chunk in one statement (arrays unnested by PostgreSQL), so 10,000 tokens are a few round trips.
 */
@injectable()
export class KnexTokenBulkRepository implements TokenBulkRepository {
  constructor(
    @inject(TYPES.Database) private readonly knex: Knex,
    @inject(TYPES.CodeProtector) private readonly codes: CodeProtector,
  ) {}

  async findByIds(ids: readonly string[], tx?: Tx): Promise<Token[]> {
    const valid = ids.filter((id) => ID_RE.test(id));
    if (valid.length === 0) return [];
    const rows: TokenRow[] = await on(this.knex, tx)(TABLE).select('*', ...shardColumns(this.knex)).whereRaw('id = any(?::bigint[])', [valid as unknown as Knex.Value]);
    return rows.map((r) => tokenOfRow(r, this.codes));
  }

  async findByCodes(normalisedCodes: readonly string[], tx?: Tx): Promise<Token[]> {
    if (normalisedCodes.length === 0) return [];
    const digests = [...new Set(normalisedCodes)].map((c) => this.codes.digest(c));
    const rows: TokenRow[] = await on(this.knex, tx)(TABLE).select('*', ...shardColumns(this.knex)).whereRaw('code_digest = any(?::text[])', [digests as unknown as Knex.Value]);
    return rows.map((r) => tokenOfRow(r, this.codes));
  }

  async findImported(importIds: readonly string[], lines: readonly number[], tx?: Tx): Promise<{ line: number; token: Token }[]> {
    if (importIds.length === 0 || lines.length === 0) return [];
    const rows: TokenRow[] = await on(this.knex, tx)(TABLE).select('*', ...shardColumns(this.knex)).whereIn('import_id', importIds).whereIn('import_line', lines).orderBy('id', 'desc');
    return rows.map((r) => ({ line: Number(r.import_line), token: tokenOfRow(r, this.codes) }));
  }

  async lockByIds(ids: readonly string[], tx: Tx): Promise<Token[]> {
    const valid = ids.filter((id) => ID_RE.test(id));
    if (valid.length === 0) return [];
    // Claims on these tokens' items wait for this import (and it for those in flight), as for one token's edit.
    await lockClaimsOfTokens(on(this.knex, tx), 'id = any(?::bigint[])', [valid]);
    const rows: TokenRow[] = await on(this.knex, tx)(TABLE).select('*', ...shardColumns(this.knex)).whereIn('id', valid).orderBy('id').forUpdate();
    return rows.map((r) => tokenOfRow(r, this.codes));
  }

  async insertMany(tokens: readonly NewBulkToken[], tx: Tx): Promise<Token[]> {
    if (tokens.length === 0) return [];
    const col = <T>(f: (t: NewBulkToken) => T): T[] => tokens.map(f);
    const digests = tokens.map((t) => this.codes.digest(t.normalisedCode));
    const rows = await on(this.knex, tx).raw(
      `insert into ${TABLE} (item_type, item_id, nickname, code_digest, code_ciphertext, custom, enabled, expires_at, max_uses,
         created_by, created_by_name, batch_id, import_id, import_line)
       select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[], ?::boolean[], ?::timestamptz[], ?::integer[],
         ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::integer[])
       on conflict (code_digest) do nothing
       returning id, code_digest, created_at, updated_at`,
      ([
        col((t) => t.item.type), col((t) => t.item.id), col((t) => t.nickname), digests,
        col((t) => this.codes.encrypt(t.displayCode)), col((t) => t.custom), col((t) => t.enabled), col((t) => (t.expiresAt ? t.expiresAt.toISOString() : null)),
        col((t) => t.maxUses), col((t) => t.createdBy), col((t) => t.createdByName ?? null), col((t) => t.batchId ?? null),
        col((t) => t.importId ?? null), col((t) => t.importLine ?? null),
      ] as unknown as Knex.RawBinding[]),
    );
    // The token is what was sent plus what the database gave it: nothing to decrypt again.
    const sent = new Map(tokens.map((t, i) => [digests[i]!, t]));
    return (rows.rows as { id: unknown; code_digest: string; created_at: string | Date; updated_at: string | Date }[]).map((r) => {
      const t = sent.get(r.code_digest)!;
      return {
        id: String(r.id), item: t.item, nickname: t.nickname, code: t.displayCode, custom: t.custom, enabled: t.enabled, expiresAt: t.expiresAt,
        maxUses: t.maxUses, uses: 0, createdBy: t.createdBy, createdByName: t.createdByName ?? null, createdAt: new Date(r.created_at),
        updatedAt: new Date(r.updated_at), lastUsedAt: null,
      };
    });
  }

  async updateMany(changes: readonly { id: string; patch: TokenPatch }[], by: string | null, at: Date, tx: Tx): Promise<void> {
    if (changes.length === 0) return;
    const has = (k: keyof TokenPatch) => changes.map((c) => c.patch[k] !== undefined);
    await on(this.knex, tx).raw(
      `update ${TABLE} t set
         nickname = case when c.set_nickname then c.nickname else t.nickname end,
         expires_at = case when c.set_expires then c.expires_at else t.expires_at end,
         max_uses = case when c.set_max then c.max_uses else t.max_uses end,
         enabled = case when c.set_enabled then c.enabled else t.enabled end,
         updated_at = ?, updated_by = ?
       from unnest(?::bigint[], ?::boolean[], ?::text[], ?::boolean[], ?::timestamptz[], ?::boolean[], ?::integer[], ?::boolean[], ?::boolean[])
         as c(id, set_nickname, nickname, set_expires, expires_at, set_max, max_uses, set_enabled, enabled)
       where t.id = c.id`,
      ([
        at, by,
        changes.map((c) => c.id), has('nickname'), changes.map((c) => c.patch.nickname ?? null),
        has('expiresAt'), changes.map((c) => (c.patch.expiresAt ? c.patch.expiresAt.toISOString() : null)),
        has('maxUses'), changes.map((c) => c.patch.maxUses ?? null), has('enabled'), changes.map((c) => c.patch.enabled ?? false),
      ] as unknown as Knex.RawBinding[]),
    );
  }

  async pageOfItem(
    item: KnowledgeRef,
    query: { now: Date; status?: TokenStatus; nickname?: string; normalisedCode?: string | null; limit: number; offset: number },
  ): Promise<{ tokens: Token[]; total: number }> {
    const now = query.now;
    const filtered = this.knex(TABLE).where({ item_type: item.type, item_id: item.id }).whereNull('batch_id').where((q) => {
      const live = (w: Knex.QueryBuilder) => w.where({ enabled: true }).andWhere((e) => e.whereNull('expires_at').orWhere('expires_at', '>', now));
      if (query.status === 'disabled') q.where({ enabled: false });
      else if (query.status === 'expired') q.where({ enabled: true }).whereNotNull('expires_at').where('expires_at', '<=', now);
      else if (query.status === 'used_up') live(q).whereNotNull('max_uses').whereRaw(`${USES_SQL} >= max_uses`);
      else if (query.status === 'active') live(q).andWhere((m) => m.whereNull('max_uses').orWhereRaw(`${USES_SQL} < max_uses`));
      if (query.nickname) {
        const text = query.nickname;
        q.andWhere((t) => {
          t.whereRaw('nickname ilike ?', [`%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`]);
          if (query.normalisedCode) t.orWhere({ code_digest: this.codes.digest(query.normalisedCode) });
        });
      }
    });
    const [counted] = await filtered.clone().count<{ n: string | number }[]>({ n: '*' });
    const rows: TokenRow[] = await filtered.clone().orderBy('id', 'desc').limit(query.limit).offset(query.offset).select('*', ...shardColumns(this.knex));
    return { tokens: rows.map((r) => tokenOfRow(r, this.codes)), total: Number(counted?.n ?? 0) };
  }

  async takenCodes(normalisedCodes: readonly string[], tx?: Tx): Promise<Set<string>> {
    const byDigest = new Map(normalisedCodes.map((c) => [this.codes.digest(c), c]));
    if (byDigest.size === 0) return new Set();
    const rows: { code_digest: string }[] = await on(this.knex, tx)(TABLE).whereIn('code_digest', [...byDigest.keys()]).select('code_digest');
    return new Set(rows.map((r) => byDigest.get(r.code_digest)!));
  }
}
