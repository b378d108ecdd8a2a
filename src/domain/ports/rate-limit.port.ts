import type { RateLimitKind, RateLimitVerdict } from '../registration/rate-limit.js';

/**
 * Shared abuse limits (security.md item 10). The adapter stores counters in the database so every
 * instance of the plugin sees the same counts, and never stores a key as given (it keys by an HMAC).
 * Never call it inside a unit of work: it uses a connection of its own.
 */
/** One check of several sent together. */
export interface RateLimitCheck {
  readonly kind: RateLimitKind;
  readonly key: string;
  /** `peek` counts nothing. */
  readonly mode: 'consume' | 'peek';
  /** Counted only when every check before it is allowed (e.g. a token's count, not spent by a blocked address). */
  readonly onlyIfAllowed?: boolean;
}

export interface RateLimitPort {
  /**
   * Optional: several checks in one round trip, a verdict each in order (a check left uncounted
   * because an earlier one was refused is answered allowed).
   */
  checkAll?(checks: readonly RateLimitCheck[]): Promise<RateLimitVerdict[]>;
  /** Counts one attempt; not allowed once the attempt goes over the limit. */
  consume(kind: RateLimitKind, key: string): Promise<RateLimitVerdict>;
  /** Whether the key has already used up its limit; counts nothing. */
  peek(kind: RateLimitKind, key: string): Promise<RateLimitVerdict>;
}
