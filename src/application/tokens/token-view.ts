import { displayName } from '../../domain/audit/audit.js';
import type { KnowledgeItem } from '../../domain/shared/knowledge.js';
import { tokenStatus, type Token, type TokenStatus } from '../../domain/tokens/token.js';
import type { UsersPort } from '../../domain/ports/users.port.js';
import type { ClockPort } from '../../domain/ports/clock.port.js';
import { usersById } from '../shared/batch-lookups.js';

/** A token as the admin side shows it: its status now and who made it. */
export interface TokenView extends Token {
  readonly status: TokenStatus;
  /** Who created it, by name (the snapshot, else the host's current name), if known. */
  readonly createdByName: string | null;
}

/** A token with its item as the host knows it now (null when the item has gone). */
export interface TokenWithItem extends TokenView {
  readonly itemInfo: KnowledgeItem | null;
}

/** Turns stored tokens into views: the status at the clock's now, and the creator's name. */
export class TokenViews {
  constructor(
    private readonly users: UsersPort,
    private readonly clock: ClockPort,
  ) {}

  async of(tokens: readonly Token[]): Promise<TokenView[]> {
    const now = this.clock.now();
    const creators = await usersById(this.users, tokens.filter((t) => !t.createdByName && t.createdBy).map((t) => t.createdBy!));
    const names = new Map([...creators].map(([id, u]) => [id, u ? displayName(u) : null]));
    return tokens.map((t) => ({
      ...t,
      status: tokenStatus(t, now),
      createdByName: t.createdByName ?? (t.createdBy ? names.get(t.createdBy) ?? null : null),
    }));
  }

  async one(token: Token): Promise<TokenView> {
    return (await this.of([token]))[0]!;
  }
}
