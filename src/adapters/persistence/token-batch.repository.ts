import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { Token } from '../../domain/tokens/token.js';
import type { BatchSummary, TokenBatch, TokenBatchRepository } from '../../domain/ports/token-bulk-repository.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { CodeProtector } from '../crypto/crypto.adapters.js';
import { TYPES } from '../../types.js';
import { dateOrNull, idString, on } from '../shared/knex-helpers.js';
import { tokenOfRow, type TokenRow } from './token-row.js';
import { deleteTokens, lockClaimsOfTokens } from './token-uses.js';

interface BatchRow {
  id: string | number;
  item_type: string;
  item_id: string;
  nickname: string | null;
  size: number;
  expires_at: string | Date | null;
  max_uses: number | null;
  created_by: string | null;
  created_by_name: string | null;
  created_at: string | Date;
}

const BATCHES = 'selfreg_token_batches';
const TOKENS = 'selfreg_tokens';
const ID_RE = /^\d{1,18}$/;
const PAGE = 1000;

const batchOf = (r: BatchRow): TokenBatch => ({
  id: idString(r.id), item: { type: r.item_type as KnowledgeRef['type'], id: r.item_id }, nickname: r.nickname, size: r.size,
  expiresAt: dateOrNull(r.expires_at), maxUses: r.max_uses, createdBy: r.created_by, createdByName: r.created_by_name, createdAt: new Date(r.created_at),
});

/** Batches of codes: the batch row, and its tokens found by `batch_id`. */
@injectable()
export class KnexTokenBatchRepository implements TokenBatchRepository {
  constructor(
    @inject(TYPES.Database) private readonly knex: Knex,
    @inject(TYPES.CodeProtector) private readonly codes: CodeProtector,
  ) {}

  async create(b: Omit<TokenBatch, 'id' | 'createdAt'>, tx: Tx): Promise<TokenBatch> {
    const [row] = await on(this.knex, tx)(BATCHES)
      .insert({
        item_type: b.item.type, item_id: b.item.id, nickname: b.nickname, size: b.size, expires_at: b.expiresAt, max_uses: b.maxUses,
        created_by: b.createdBy, created_by_name: b.createdByName,
      })
      .returning('*');
    return batchOf(row as BatchRow);
  }

  async find(id: string, tx?: Tx): Promise<TokenBatch | null> {
    if (!ID_RE.test(id)) return null;
    const row: BatchRow | undefined = await on(this.knex, tx)(BATCHES).where({ id }).first();
    return row ? batchOf(row) : null;
  }

  async setEnabled(id: string, enabled: boolean, by: string | null, at: Date, tx: Tx): Promise<number> {
    await lockClaimsOfTokens(on(this.knex, tx), 'batch_id = ?', [id]);
    const rows = await on(this.knex, tx)(TOKENS).where({ batch_id: id }).whereNot({ enabled }).update({ enabled, updated_at: at, updated_by: by }).returning('id');
    return rows.length;
  }

  async delete(id: string, tx: Tx): Promise<number> {
    // As any token delete: claims in flight first, then the references cleared in the same statement.
    await lockClaimsOfTokens(on(this.knex, tx), 'batch_id = ?', [id]);
    const rows = await deleteTokens<{ id: string }>(on(this.knex, tx), 'batch_id = ?', [id]);
    await on(this.knex, tx)(BATCHES).where({ id }).delete();
    return rows.length;
  }

  async *tokens(id: string): AsyncIterable<Token[]> {
    for (let after = '0'; ;) {
      const rows: TokenRow[] = await this.knex(TOKENS).where({ batch_id: id }).where('id', '>', after).orderBy('id').limit(PAGE);
      if (rows.length === 0) return;
      yield rows.map((r) => tokenOfRow(r, this.codes));
      after = idString(rows[rows.length - 1]!.id);
    }
  }

  async summariesForItem(item: KnowledgeRef, now: Date): Promise<BatchSummary[]> {
    const rows: (BatchRow & { remaining: unknown; live: unknown; uses: unknown; last_used_at: string | Date | null })[] = await this.knex(`${BATCHES} as b`)
      .where({ 'b.item_type': item.type, 'b.item_id': item.id })
      .leftJoin(`${TOKENS} as t`, 't.batch_id', 'b.id')
      .groupBy('b.id')
      .orderBy('b.id', 'desc')
      .select('b.*')
      .select(this.knex.raw('count(t.id) as remaining'))
      .select(this.knex.raw('count(t.id) filter (where t.enabled and (t.expires_at is null or t.expires_at > ?) and (t.max_uses is null or t.uses + (select coalesce(sum(s.uses), 0) from selfreg_token_uses s where s.token_id = t.id) < t.max_uses)) as live', [now]))
      .select(this.knex.raw('coalesce(sum(t.uses + (select coalesce(sum(s.uses), 0) from selfreg_token_uses s where s.token_id = t.id)), 0) as uses'))
      .select(this.knex.raw('max(t.last_used_at) as last_used_at'));
    return rows.map((r) => ({ ...batchOf(r), remaining: Number(r.remaining), enabled: Number(r.live), uses: Number(r.uses), lastUsedAt: dateOrNull(r.last_used_at) }));
  }
}
