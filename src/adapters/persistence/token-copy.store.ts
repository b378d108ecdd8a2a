import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { Token } from '../../domain/tokens/token.js';
import type { TokenCopyStore } from '../../domain/ports/token-copy-store.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { CodeProtector } from '../crypto/crypto.adapters.js';
import { TYPES } from '../../types.js';
import { idString, on } from '../shared/knex-helpers.js';
import { lockItemTokenClaims, shardColumns } from './token-uses.js';
import { tokenOfRow, type TokenRow } from './token-row.js';

const TABLE = 'selfreg_tokens';

@injectable()
export class KnexTokenCopyStore implements TokenCopyStore {
  constructor(
    @inject(TYPES.Database) private readonly knex: Knex,
    @inject(TYPES.CodeProtector) private readonly codes: CodeProtector,
  ) {}

  lockItem(item: KnowledgeRef, tx: Tx): Promise<void> {
    return lockItemTokenClaims(on(this.knex, tx), item);
  }

  async copyable(item: KnowledgeRef, tx: Tx): Promise<Token[]> {
    const rows: TokenRow[] = await on(this.knex, tx)(TABLE).select('*', ...shardColumns(this.knex))
      .where({ item_type: item.type, item_id: item.id }).whereNull('batch_id').orderBy('id', 'asc');
    return rows.map((r) => tokenOfRow(r, this.codes));
  }

  async copiedInto(item: KnowledgeRef, tx: Tx): Promise<Set<string>> {
    const rows: { copied_from: string | number }[] = await on(this.knex, tx)(TABLE)
      .where({ item_type: item.type, item_id: item.id }).whereNotNull('copied_from').select('copied_from');
    return new Set(rows.map((r) => idString(r.copied_from)));
  }

  async copySummary(item: KnowledgeRef): Promise<{ readonly disabledCopies: number }> {
    const row = await this.knex(TABLE).where({ item_type: item.type, item_id: item.id, enabled: false }).whereNotNull('copied_from')
      .count<{ n: string | number }[]>({ n: '*' }).first();
    return { disabledCopies: Number(row?.n ?? 0) };
  }
}
