import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { Token } from '../../domain/tokens/token.js';
import type { NewToken, TokenRepository } from '../../domain/ports/token-repository.port.js';
import type { TokenAdminRepository, TokenPage, TokenQuery, TokenUpdate } from '../../domain/ports/token-admin-repository.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { CodeProtector } from '../crypto/crypto.adapters.js';
import { TYPES } from '../../types.js';
import { on } from '../shared/knex-helpers.js';
import { deleteTokens, lockItemTokenClaims, lockTokenClaims, shardColumns, USES_SQL } from './token-uses.js';
import { tokenOfRow, type TokenRow } from './token-row.js';


const TABLE = 'selfreg_tokens';
const ID_RE = /^\d{1,18}$/;

/** `%`, `_` and `\` taken literally in a LIKE pattern (backslash is PostgreSQL's default escape). */
const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

@injectable()
export class KnexTokenRepository implements TokenRepository, TokenAdminRepository {
  constructor(
    @inject(TYPES.Database) private readonly knex: Knex,
    @inject(TYPES.CodeProtector) private readonly codes: CodeProtector,
  ) {}

  async insert(token: NewToken, tx?: Tx): Promise<Token | null> {
    const rows: TokenRow[] = await on(this.knex, tx)(TABLE)
      .insert({
        item_type: token.item.type,
        item_id: token.item.id,
        nickname: token.nickname,
        code_digest: this.codes.digest(token.normalisedCode),
        code_ciphertext: this.codes.encrypt(token.displayCode),
        custom: token.custom,
        expires_at: token.expiresAt,
        max_uses: token.maxUses,
        created_by: token.createdBy,
        created_by_name: token.createdByName ?? null,
        ...(token.enabled === false && { enabled: false }),
        ...(token.copiedFrom && { copied_from: token.copiedFrom }),
      })
      .onConflict('code_digest')
      .ignore()
      .returning('*');
    return rows[0] ? this.toToken(rows[0]) : null;
  }

  async listForItem(item: KnowledgeRef): Promise<Token[]> {
    const rows: TokenRow[] = await this.knex(TABLE).select('*', ...shardColumns(this.knex)).where({ item_type: item.type, item_id: item.id }).orderBy('id', 'asc');
    return rows.map((r) => this.toToken(r));
  }

  async findById(id: string, tx?: Tx): Promise<Token | null> {
    if (!/^\d{1,18}$/.test(id)) return null;
    const row: TokenRow | undefined = await on(this.knex, tx)(TABLE).select('*', ...shardColumns(this.knex)).where({ id }).first();
    return row ? this.toToken(row) : null;
  }

  async findByCode(normalisedCode: string, tx?: Tx): Promise<Token | null> {
    const row: TokenRow | undefined = await on(this.knex, tx)(TABLE).select('*', ...shardColumns(this.knex)).where({ code_digest: this.codes.digest(normalisedCode) }).first();
    return row ? this.toToken(row) : null;
  }

  async claimUse(id: string, now: Date, tx: Tx): Promise<Token | null> {
    if (!ID_RE.test(id)) return null;
    // selfreg_claim_use: a conditional UPDATE of the token row when it is capped, a shard of its
    // uses otherwise; concurrent claims on the last use cannot both win.
    const result = await on(this.knex, tx).raw('select selfreg_claim_use(?, ?) as claimed', [id, now]);
    return (result as { rows: { claimed: boolean }[] }).rows[0]?.claimed ? this.findById(id, tx) : null;
  }

  async lockById(id: string, tx: Tx): Promise<Token | null> {
    if (!ID_RE.test(id)) return null;
    await lockTokenClaims(on(this.knex, tx), id);
    const row: TokenRow | undefined = await on(this.knex, tx)(TABLE).select('*', ...shardColumns(this.knex)).where({ id }).forUpdate().first();
    return row ? this.toToken(row) : null;
  }

  async update(id: string, update: TokenUpdate, tx: Tx): Promise<Token | null> {
    if (!ID_RE.test(id)) return null;
    const columns: Record<string, unknown> = { updated_at: update.updatedAt, updated_by: update.updatedBy };
    if (update.nickname !== undefined) columns.nickname = update.nickname;
    if (update.expiresAt !== undefined) columns.expires_at = update.expiresAt;
    if (update.maxUses !== undefined) columns.max_uses = update.maxUses;
    if (update.enabled !== undefined) columns.enabled = update.enabled;
    await lockTokenClaims(on(this.knex, tx), id);
    const rows: TokenRow[] = await on(this.knex, tx)(TABLE).where({ id }).update(columns).returning('*');
    return rows[0] ? this.findById(id, tx) : null;
  }

  async deleteById(id: string, tx: Tx): Promise<boolean> {
    if (!ID_RE.test(id)) return false;
    await lockTokenClaims(on(this.knex, tx), id);
    return (await deleteTokens(on(this.knex, tx), 'id = ?', [id])).length === 1;
  }

  async search(query: TokenQuery): Promise<TokenPage> {
    if (query.beforeId !== undefined && !ID_RE.test(query.beforeId)) return { tokens: [], total: 0, hasMore: false };
    const filtered = this.knex(TABLE).where((q) => {
      if (query.item) q.where({ item_type: query.item.type, item_id: query.item.id });
      if (query.itemType) q.where({ item_type: query.itemType });
      const now = query.now;
      const live = (w: Knex.QueryBuilder) => w.where({ enabled: true }).andWhere((e) => e.whereNull('expires_at').orWhere('expires_at', '>', now));
      switch (query.status) {
        case 'disabled':
          q.where({ enabled: false });
          break;
        case 'expired':
          q.where({ enabled: true }).whereNotNull('expires_at').where('expires_at', '<=', now);
          break;
        case 'used_up':
          live(q).whereNotNull('max_uses').whereRaw(`${USES_SQL} >= max_uses`);
          break;
        case 'active':
          live(q).andWhere((m) => m.whereNull('max_uses').orWhereRaw(`${USES_SQL} < max_uses`));
          break;
        default:
          break;
      }
      const text = query.text;
      if (text) {
        q.andWhere((t) => {
          t.whereRaw('nickname ilike ?', [`%${likeLiteral(text.nickname)}%`]);
          if (text.normalisedCode) t.orWhere({ code_digest: this.codes.digest(text.normalisedCode) });
          if (text.items.length > 0) t.orWhereIn(['item_type', 'item_id'], text.items.map((i) => [i.type, i.id]));
        });
      }
    });
    const counted = await filtered.clone().count<{ n: string | number }[]>({ n: '*' });
    const page = filtered.clone().orderBy('id', 'desc').limit(query.limit + 1);
    if (query.beforeId !== undefined) page.where('id', '<', query.beforeId);
    const rows: TokenRow[] = await page.select('*', ...shardColumns(this.knex));
    return {
      tokens: rows.slice(0, query.limit).map((r) => this.toToken(r)),
      total: Number(counted[0]?.n ?? 0),
      hasMore: rows.length > query.limit,
    };
  }

  async deleteForItem(item: KnowledgeRef, tx?: Tx): Promise<number> {
    await lockItemTokenClaims(on(this.knex, tx), item);
    return (await deleteTokens(on(this.knex, tx), 'item_type = ? and item_id = ?', [item.type, item.id])).length;
  }

  async deleteAllForItem(item: KnowledgeRef, tx: Tx): Promise<Token[]> {
    // One statement: a token cannot slip between a read and the delete.
    await lockItemTokenClaims(on(this.knex, tx), item);
    const rows = await deleteTokens<TokenRow>(on(this.knex, tx), 'item_type = ? and item_id = ?', [item.type, item.id]);
    // The item's batches go with their codes.
    await on(this.knex, tx)('selfreg_token_batches').where({ item_type: item.type, item_id: item.id }).delete();
    return rows.map((r) => this.toToken(r)).sort((a, b) => Number(a.id) - Number(b.id));
  }

  private toToken(row: TokenRow): Token {
    return tokenOfRow(row, this.codes);
  }

}

