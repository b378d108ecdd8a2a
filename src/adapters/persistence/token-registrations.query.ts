import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { KnowledgeRef } from '../../domain/shared/knowledge.js';
import type { TokenRegistration } from '../../domain/tokens/token-registration.js';
import type { TokenRegistrationQuery } from '../../domain/ports/token-registration-query.port.js';
import { TYPES } from '../../types.js';
import { idString } from '../shared/knex-helpers.js';

interface RegistrationRow {
  id: string | number;
  user_id: string;
  new_user: boolean;
  created_at: string | Date;
  item_type: string;
  item_id: string;
  token_nickname: string | null;
}

const ID_RE = /^\d{1,18}$/;

/** The registrations made with one token, newest first (keyset pages over the (token_id, id) index). */
@injectable()
export class KnexTokenRegistrationQuery implements TokenRegistrationQuery {
  constructor(@inject(TYPES.Database) private readonly knex: Knex) {}

  async listForToken(tokenId: string, page: { limit: number; beforeId?: string; knownTotal?: number }): Promise<{ registrations: TokenRegistration[]; total: number; hasMore: boolean }> {
    if (!ID_RE.test(tokenId) || (page.beforeId !== undefined && !ID_RE.test(page.beforeId))) return { registrations: [], total: 0, hasMore: false };
    // The caller usually knows the total (a token's uses are its registrations): no count of a
    // popular token's million rows then.
    const counted = page.knownTotal !== undefined ? [{ n: page.knownTotal }] : await this.knex('selfreg_registrations').where({ token_id: tokenId }).count<{ n: string | number }[]>({ n: '*' });
    const q = this.knex('selfreg_registrations').where({ token_id: tokenId }).orderBy('id', 'desc').limit(page.limit + 1);
    if (page.beforeId) q.where('id', '<', page.beforeId);
    const rows: RegistrationRow[] = await q.select('id', 'user_id', 'new_user', 'created_at', 'item_type', 'item_id', 'token_nickname');
    return {
      registrations: rows.slice(0, page.limit).map((r) => ({
        id: idString(r.id),
        userId: r.user_id,
        newUser: r.new_user,
        at: new Date(r.created_at),
        item: { type: r.item_type as KnowledgeRef['type'], id: r.item_id },
        tokenNickname: r.token_nickname,
      })),
      total: Number(counted[0]?.n ?? 0),
      hasMore: rows.length > page.limit,
    };
  }
}
