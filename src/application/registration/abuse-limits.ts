import { ErrorCodes } from '../../domain/shared/errors.js';
import type { RateLimitKind } from '../../domain/registration/rate-limit.js';
import type { RateLimitPort } from '../../domain/ports/rate-limit.port.js';
import { refused, type Limited, type Refused } from './registration-outcomes.js';

/**
 * The shared abuse limits, applied before anything is looked up or written: per visitor address,
 * email and token, and guesses of unknown codes per address. Without a limiter (unit tests) nothing
 * is ever limited.
 */
export class AbuseLimits {
  constructor(private readonly limits?: RateLimitPort) {}

  /** Counts one attempt of `kind` against `key`. */
  async consume(kind: RateLimitKind, key: string | null | undefined): Promise<Limited | null> {
    if (!this.limits) return null;
    const verdict = await this.limits.consume(kind, key || 'unknown');
    return verdict.allowed ? null : { kind: 'limited', retryAfterSeconds: verdict.retryAfterSeconds };
  }

  /** Whether `key` is over the limit of `kind`, counting nothing. */
  async peek(kind: RateLimitKind, key: string | null | undefined): Promise<Limited | null> {
    if (!this.limits) return null;
    const verdict = await this.limits.peek(kind, key || 'unknown');
    return verdict.allowed ? null : { kind: 'limited', retryAfterSeconds: verdict.retryAfterSeconds };
  }

  /** The first limit hit among checks run together, if any. */
  async first(checks: readonly Promise<Limited | null>[]): Promise<Limited | null> {
    return (await Promise.all(checks)).find((v) => v !== null) ?? null;
  }

  /** An unknown code counts against the visitor's address (guessing); the answer stays the one generic message. */
  async unknownCode(ip: string | null | undefined): Promise<Refused> {
    await this.consume('unknownCode', ip);
    return refused(ErrorCodes.TOKEN_NOT_RECOGNISED);
  }
}
