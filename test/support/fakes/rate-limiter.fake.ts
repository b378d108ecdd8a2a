import type { RateLimitPort } from '../../../src/domain/ports/rate-limit.port.js';
import type { RateLimitKind, RateLimitVerdict } from '../../../src/domain/registration/rate-limit.js';

/** Abuse limits in memory: counts every call; `deny` makes a kind answer "over the limit" (for consume and peek). */
export class FakeRateLimiter implements RateLimitPort {
  readonly calls: string[] = [];
  readonly counts = new Map<string, number>();
  /** Kinds over their limit, with the seconds to wait. */
  deny: Partial<Record<RateLimitKind, number>> = {};
  /** Optional real limits: more than `points` consumes of one key are refused. */
  constructor(private readonly points: Partial<Record<RateLimitKind, number>> = {}) {}

  async consume(kind: RateLimitKind, key: string): Promise<RateLimitVerdict> {
    this.calls.push(`consume ${kind} ${key}`);
    const n = (this.counts.get(`${kind}:${key}`) ?? 0) + 1;
    this.counts.set(`${kind}:${key}`, n);
    const max = this.points[kind];
    if (this.deny[kind] !== undefined) return { allowed: false, retryAfterSeconds: this.deny[kind]! };
    return max !== undefined && n > max ? { allowed: false, retryAfterSeconds: 60 } : { allowed: true, retryAfterSeconds: 0 };
  }

  async peek(kind: RateLimitKind, key: string): Promise<RateLimitVerdict> {
    this.calls.push(`peek ${kind} ${key}`);
    const max = this.points[kind];
    if (this.deny[kind] !== undefined) return { allowed: false, retryAfterSeconds: this.deny[kind]! };
    return max !== undefined && (this.counts.get(`${kind}:${key}`) ?? 0) >= max ? { allowed: false, retryAfterSeconds: 60 } : { allowed: true, retryAfterSeconds: 0 };
  }
}
