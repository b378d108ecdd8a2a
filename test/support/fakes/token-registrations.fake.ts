import type { TokenRegistration } from '../../../src/domain/tokens/token-registration.js';
import type { TokenRegistrationQuery } from '../../../src/domain/ports/token-registration-query.port.js';
import type { FakeDb } from './fake-db.js';

/** Registrations of a token, read from the registrations the fakes recorded (ids are their positions). */
export class FakeTokenRegistrations implements TokenRegistrationQuery {
  constructor(private readonly db: FakeDb) {}
  async listForToken(tokenId: string, page: { limit: number; beforeId?: string }): Promise<{ registrations: TokenRegistration[]; total: number; hasMore: boolean }> {
    let list = this.db.state.registrations
      .map((r, i) => ({ id: String(i + 1), userId: r.userId, newUser: r.newUser, at: r.at, item: r.item, tokenNickname: r.tokenNickname, tokenId: r.tokenId }))
      .filter((r) => r.tokenId === tokenId)
      .reverse();
    const total = list.length;
    if (page.beforeId) list = list.filter((r) => Number(r.id) < Number(page.beforeId));
    return { registrations: list.slice(0, page.limit).map(({ tokenId: _t, ...r }) => r), total, hasMore: list.length > page.limit };
  }
}
