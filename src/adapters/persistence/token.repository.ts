import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { KnowledgeRef } from '../../domain/knowledge.js';
import type { Token } from '../../domain/token.js';
import type { NewToken, TokenRepository } from '../../domain/ports/repositories.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { CodeProtector } from '../crypto/crypto.adapters.js';
import { TYPES } from '../../types.js';
import { dateOrNull, idString, on } from './knex-helpers.js';

interface TokenRow {
  id: string | number;
  item_type: string;
  item_id: string;
  nickname: string | null;
  code_ciphertext: string;
  custom: boolean;
  enabled: boolean;
  expires_at: string | Date | null;
  max_uses: number | null;
  uses: number;
  created_by: string | null;
  created_at: string | Date;
  last_used_at: string | Date | null;
}

const TABLE = 'selfreg_tokens';

@injectable()
export class KnexTokenRepository implements TokenRepository {
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
      })
      .onConflict('code_digest')
      .ignore()
      .returning('*');
    return rows[0] ? this.toToken(rows[0]) : null;
  }

  async listForItem(item: KnowledgeRef): Promise<Token[]> {
    const rows: TokenRow[] = await this.knex(TABLE).where({ item_type: item.type, item_id: item.id }).orderBy('id', 'asc');
    return rows.map((r) => this.toToken(r));
  }

  async findById(id: string, tx?: Tx): Promise<Token | null> {
    if (!/^\d{1,18}$/.test(id)) return null;
    const row: TokenRow | undefined = await on(this.knex, tx)(TABLE).where({ id }).first();
    return row ? this.toToken(row) : null;
  }

  async findByCode(normalisedCode: string, tx?: Tx): Promise<Token | null> {
    const row: TokenRow | undefined = await on(this.knex, tx)(TABLE).where({ code_digest: this.codes.digest(normalisedCode) }).first();
    return row ? this.toToken(row) : null;
  }

  async claimUse(id: string, now: Date, tx: Tx): Promise<Token | null> {
    // One conditional UPDATE: concurrent claims on the last use cannot both win.
    const rows: TokenRow[] = await on(this.knex, tx)(TABLE)
      .where({ id, enabled: true })
      .andWhere((q) => q.whereNull('expires_at').orWhere('expires_at', '>', now))
      .andWhere((q) => q.whereNull('max_uses').orWhereRaw('uses < max_uses'))
      .update({ uses: this.knex.raw('uses + 1'), last_used_at: now })
      .returning('*');
    return rows[0] ? this.toToken(rows[0]) : null;
  }

  async deleteForItem(item: KnowledgeRef, tx?: Tx): Promise<number> {
    // returning() rather than the affected-row count, which knex-pglite does not report for deletes.
    const rows = await on(this.knex, tx)(TABLE).where({ item_type: item.type, item_id: item.id }).delete().returning('id');
    return rows.length;
  }

  private toToken(row: TokenRow): Token {
    return {
      id: idString(row.id),
      item: { type: row.item_type as KnowledgeRef['type'], id: row.item_id },
      nickname: row.nickname,
      code: this.codes.decrypt(row.code_ciphertext),
      custom: row.custom,
      enabled: row.enabled,
      expiresAt: dateOrNull(row.expires_at),
      maxUses: row.max_uses,
      uses: row.uses,
      createdBy: row.created_by,
      createdAt: new Date(row.created_at),
      lastUsedAt: dateOrNull(row.last_used_at),
    };
  }
}
