import { ErrorCodes, refuse } from '../../domain/shared/errors.js';
import type { KnowledgeItem } from '../../domain/shared/knowledge.js';
import type { RegistrationRefusal } from '../../domain/registration/registration.js';
import { TokenCode } from '../../domain/tokens/token-code.js';
import { checkUsable, type Token } from '../../domain/tokens/token.js';
import type { CataloguePort } from '../../domain/ports/catalogue.port.js';
import type { TokenRepository } from '../../domain/ports/token-repository.port.js';
import type { Tx } from '../../domain/ports/unit-of-work.port.js';
import { ReadCache, type CacheSettings } from '../shared/read-cache.js';

/** A code that matched a token, with the token's item as the host knows it (null if gone). */
export interface Found {
  readonly code: TokenCode;
  readonly token: Token;
  readonly item: KnowledgeItem | null;
}

/**
 * The token a code names and its item, read outside any transaction and cached briefly: the
 * registration transaction claims the use atomically, so a stale read can never over-admit.
 */
export class TokenLookup {
  private readonly cache: ReadCache<string, Found | null>;

  constructor(
    private readonly tokens: TokenRepository,
    private readonly catalogue: CataloguePort,
    caching: CacheSettings,
  ) {
    this.cache = new ReadCache(caching.signal, caching.cacheMs, caching.millis, 1000);
  }

  find(codeInput: string): Promise<Found | null> {
    const code = TokenCode.fromInput(codeInput);
    if (!code.ok) return Promise.resolve(null);
    return this.cache.get(
      code.value.normalised,
      async () => {
        const token = await this.tokens.findByCode(code.value.normalised);
        return token ? { code: code.value, token, item: await this.catalogue.get(token.item) } : null;
      },
      // Misses are not kept: guessed codes must not fill memory.
      (found) => found !== null,
    );
  }

  /** The token a code names when the cache holds it fresh (no read); undefined otherwise. */
  cached(codeInput: string): Found | undefined {
    const code = TokenCode.fromInput(codeInput);
    return code.ok ? (this.cache.peek(code.value.normalised) ?? undefined) : undefined;
  }

  /** Why a claim on the token lost: the state it is in now, or not recognised when it has gone. */
  async refusalNow(tokenId: string, now: Date, tx?: Tx): Promise<RegistrationRefusal> {
    const current = await this.tokens.findById(tokenId, tx);
    const state = current ? checkUsable(current, now) : null;
    return state && !state.ok ? state.error : refuse(ErrorCodes.TOKEN_NOT_RECOGNISED);
  }
}
