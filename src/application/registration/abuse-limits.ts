import { ErrorCodes } from '../../domain/shared/errors.js';
import type { RateLimitKind } from '../../domain/registration/rate-limit.js';
import type { RateLimitCheck, RateLimitPort } from '../../domain/ports/rate-limit.port.js';
import type { Millis } from '../shared/read-cache.js';
import { refused, type Limited, type Refused } from './registration-outcomes.js';

/** One limit to apply: `peek` counts nothing; `onlyIfAllowed` counts only when every check before it allows. */
export interface LimitCheck {
  readonly kind: RateLimitKind;
  readonly key: string | null | undefined;
  readonly peek?: boolean;
  readonly onlyIfAllowed?: boolean;
}

/** How long an address seen under its unknown-code limit is taken as not blocked without asking the database. */
export const NOT_BLOCKED_TTL_MS = 1000;
const NOT_BLOCKED_MAX = 10_000;

const limitedOf = (v: { allowed: boolean; retryAfterSeconds: number } | undefined): Limited | null =>
  !v || v.allowed ? null : { kind: 'limited', retryAfterSeconds: v.retryAfterSeconds };

/**
 * The shared abuse limits, applied before anything is looked up or written: per visitor address,
 * email and token, and guesses of unknown codes per address. Without a limiter (unit tests) nothing
 * is ever limited.
 *
 * The deep-link page only asks whether an address is blocked for unknown codes. An address found
 * under that limit is remembered as "not blocked" for NOT_BLOCKED_TTL_MS: an address becomes blocked
 * only by guessing codes, each guess is counted in the database (here or on another instance), and
 * a guess counted here forgets the address at once. So the cache only lets an address blocked on
 * another instance see, for at most a second more, whether codes it already knows exist — every new
 * guess still goes to the database and is refused there.
 */
export class AbuseLimits {
  private readonly notBlocked = new Map<string, number>();

  constructor(
    private readonly limits?: RateLimitPort,
    private readonly millis: Millis = () => Date.now(),
  ) {}

  /** Counts one attempt of `kind` against `key`. */
  consume(kind: RateLimitKind, key: string | null | undefined): Promise<Limited | null> {
    return this.check([{ kind, key }]);
  }

  /** Whether `key` is over the limit of `kind`, counting nothing. */
  async peek(kind: RateLimitKind, key: string | null | undefined): Promise<Limited | null> {
    if (!this.limits) return null;
    const k = key || 'unknown';
    if (kind === 'unknownCode' && (this.notBlocked.get(k) ?? 0) > this.millis()) return null;
    const limited = await this.check([{ kind, key, peek: true }]);
    if (kind === 'unknownCode' && !limited) this.remember(k);
    return limited;
  }

  /** The checks together, in one round trip where the limiter can: the first limit hit, if any. */
  async check(checks: readonly LimitCheck[]): Promise<Limited | null> {
    if (!this.limits) return null;
    const asked: RateLimitCheck[] = checks.map((c) => ({ kind: c.kind, key: c.key || 'unknown', mode: c.peek ? 'peek' : 'consume', ...(c.onlyIfAllowed && { onlyIfAllowed: true }) }));
    for (const c of asked) if (c.kind === 'unknownCode' && c.mode === 'consume') this.notBlocked.delete(c.key);
    if (this.limits.checkAll) return (await this.limits.checkAll(asked)).map(limitedOf).find((v) => v !== null) ?? null;
    const verdicts = await Promise.all(asked.filter((c) => !c.onlyIfAllowed).map((c) => (c.mode === 'peek' ? this.limits!.peek(c.kind, c.key) : this.limits!.consume(c.kind, c.key))));
    const first = verdicts.map(limitedOf).find((v) => v !== null);
    if (first) return first;
    for (const c of asked.filter((x) => x.onlyIfAllowed)) {
      const limited = limitedOf(await this.limits.consume(c.kind, c.key));
      if (limited) return limited;
    }
    return null;
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

  private remember(key: string): void {
    if (this.notBlocked.size >= NOT_BLOCKED_MAX) this.notBlocked.delete(this.notBlocked.keys().next().value as string);
    this.notBlocked.set(key, this.millis() + NOT_BLOCKED_TTL_MS);
  }
}
