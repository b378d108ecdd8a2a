import type { RateLimitKind, RateLimitVerdict } from '../registration/rate-limit.js';

/**
 * Shared abuse limits (security.md item 10). The adapter stores counters in the database so every
 * instance of the plugin sees the same counts, and never stores a key as given (it keys by an HMAC).
 * Never call it inside a unit of work: it uses a connection of its own.
 */
export interface RateLimitPort {
  /** Counts one attempt; not allowed once the attempt goes over the limit. */
  consume(kind: RateLimitKind, key: string): Promise<RateLimitVerdict>;
  /** Whether the key has already used up its limit; counts nothing. */
  peek(kind: RateLimitKind, key: string): Promise<RateLimitVerdict>;
}
