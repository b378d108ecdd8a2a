import type { KnowledgeRef } from '../../../src/domain/shared/knowledge.js';
import { tokenStatus, type Token } from '../../../src/domain/tokens/token.js';
import type { NewToken, TokenRepository } from '../../../src/domain/ports/token-repository.port.js';
import type { TokenAdminRepository, TokenPage, TokenQuery, TokenUpdate } from '../../../src/domain/ports/token-admin-repository.port.js';
import type { Tx } from '../../../src/domain/ports/unit-of-work.port.js';
import { sameRef, type FakeDb } from './fake-db.js';

/** Tokens for registration and for token management, in the shared state. */
export class FakeTokens implements TokenRepository, TokenAdminRepository {
  readonly inserts: NewToken[] = [];
  claimCalls = 0;
  findByCodeCalls = 0;
  /** Runs inside claimUse before it decides: lets a test change the token as a concurrent request would. */
  beforeClaim: (() => void) | null = null;
  constructor(private readonly db: FakeDb) {}

  async insert(token: NewToken): Promise<Token | null> {
    this.inserts.push(token);
    const state = this.db.state;
    if (Object.values(state.tokenCodes).includes(token.normalisedCode)) return null;
    const created: Token = {
      id: this.db.newId('token-'), item: token.item, nickname: token.nickname, code: token.displayCode, custom: token.custom,
      enabled: true, expiresAt: token.expiresAt, maxUses: token.maxUses, uses: 0, createdBy: token.createdBy,
      createdAt: new Date('2026-01-01T00:00:00Z'), lastUsedAt: null,
      createdByName: token.createdByName ?? null,
    };
    state.tokens.push(created);
    state.tokenCodes[created.id] = token.normalisedCode;
    return created;
  }
  async listForItem(item: KnowledgeRef): Promise<Token[]> {
    return this.db.state.tokens.filter((t) => sameRef(t.item, item));
  }
  async findById(id: string): Promise<Token | null> {
    return this.db.state.tokens.find((t) => t.id === id) ?? null;
  }
  async findByCode(normalisedCode: string): Promise<Token | null> {
    this.findByCodeCalls += 1;
    const id = Object.entries(this.db.state.tokenCodes).find(([, code]) => code === normalisedCode)?.[0];
    return id ? this.findById(id) : null;
  }
  async claimUse(id: string, now: Date, tx: Tx): Promise<Token | null> {
    this.db.inTx(tx);
    this.claimCalls += 1;
    this.beforeClaim?.();
    const state = this.db.state;
    const index = state.tokens.findIndex((t) => t.id === id);
    const t = state.tokens[index];
    if (!t || !t.enabled || (t.expiresAt && t.expiresAt.getTime() <= now.getTime()) || (t.maxUses !== null && t.uses >= t.maxUses)) return null;
    const claimed: Token = { ...t, uses: t.uses + 1, lastUsedAt: now };
    state.tokens[index] = claimed;
    return claimed;
  }
  // Token management
  readonly locked: string[] = [];
  async lockById(id: string, tx: Tx): Promise<Token | null> {
    this.db.inTx(tx);
    this.locked.push(id);
    return this.findById(id);
  }
  async update(id: string, update: TokenUpdate, tx: Tx): Promise<Token | null> {
    const state = this.db.inTx(tx);
    const index = state.tokens.findIndex((t) => t.id === id);
    const t = state.tokens[index];
    if (!t) return null;
    const { updatedBy: _by, ...patch } = update;
    const next: Token = { ...t, ...patch };
    state.tokens[index] = next;
    return next;
  }
  async deleteById(id: string, tx: Tx): Promise<boolean> {
    const state = this.db.inTx(tx);
    const before = state.tokens.length;
    state.tokens = state.tokens.filter((t) => t.id !== id);
    delete state.tokenCodes[id];
    return state.tokens.length < before;
  }
  readonly searches: TokenQuery[] = [];
  async search(query: TokenQuery): Promise<TokenPage> {
    this.searches.push(query);
    const codes = this.db.state.tokenCodes;
    let list = [...this.db.state.tokens].reverse().filter((t) => {
      if (query.item && !sameRef(t.item, query.item)) return false;
      if (query.itemType && t.item.type !== query.itemType) return false;
      if (query.status && tokenStatus(t, query.now) !== query.status) return false;
      if (query.text) {
        const q = query.text;
        const hit = (t.nickname ?? '').toLowerCase().includes(q.nickname.toLowerCase()) || (q.normalisedCode !== null && codes[t.id] === q.normalisedCode) || q.items.some((i) => sameRef(i, t.item));
        if (!hit) return false;
      }
      return true;
    });
    const total = list.length;
    if (query.beforeId) {
      const at = list.findIndex((t) => t.id === query.beforeId);
      list = at < 0 ? [] : list.slice(at + 1);
    }
    return { tokens: list.slice(0, query.limit), total, hasMore: list.length > query.limit };
  }

  async deleteForItem(item: KnowledgeRef): Promise<number> {
    const state = this.db.state;
    const gone = state.tokens.filter((t) => sameRef(t.item, item));
    state.tokens = state.tokens.filter((t) => !sameRef(t.item, item));
    for (const t of gone) delete state.tokenCodes[t.id];
    return gone.length;
  }
  async deleteAllForItem(item: KnowledgeRef, tx: Tx): Promise<Token[]> {
    const state = this.db.inTx(tx);
    const gone = state.tokens.filter((t) => sameRef(t.item, item));
    state.tokens = state.tokens.filter((t) => !sameRef(t.item, item));
    for (const t of gone) delete state.tokenCodes[t.id];
    return gone;
  }
}
