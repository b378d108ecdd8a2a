import { err, ok, type Result } from '../shared/result.js';

/*
 * Abuse limits of the public pages (security.md item 10). Each limit is a number of attempts per
 * fixed window, written `N/<duration>` (e.g. `30/10m`), or `off`.
 */

/**
 * - `ip`: every registration attempt (valid or not, honeypot included) and every emailed-link or
 *   one-click form posted, per visitor address.
 * - `email`: registrations per email address (protects an inbox from being flooded with links).
 * - `token`: registrations per token (bounds what a leaked token can do).
 * - `unknownCode`: codes that match no token, per visitor address (stops guessing). Graduated (see
 *   `graduatedRetryAfterMs`): the first N misses cost nothing; each further one pauses the address
 *   briefly, a little longer each time. While paused the address is refused before any code is
 *   looked up, so a hit cannot be told from a miss.
 */
export const RATE_LIMIT_KINDS = ['ip', 'email', 'token', 'unknownCode'] as const;
export type RateLimitKind = (typeof RATE_LIMIT_KINDS)[number];

export interface RateLimitRule {
  readonly points: number;
  readonly durationSeconds: number;
  /** Graduated (the unknown-code limit): over N, a pause after each attempt rather than the rest of the window. */
  readonly graduated?: boolean;
}

/** The limits that pause gradually instead of closing for the rest of their window. */
export const GRADUATED_KINDS: readonly RateLimitKind[] = ['unknownCode'];

/**
 * The pause step of a graduated limit, in seconds: a 240th of the window (15 s for an hour), at least 1 s.
 */
export const graduatedStepSeconds = (rule: RateLimitRule): number => Math.max(1, Math.floor(rule.durationSeconds / 240));

/**
 * How long a graduated count is kept after its last attempt, in ms: the window while under the
 * allowance; once an address has reached it, 24 windows (a day for `10/1h`), so that waiting out one
 * quiet window does not hand a guesser a fresh allowance.
 */
export const GRADUATED_MEMORY_WINDOWS = 24;
export const graduatedMemoryMs = (rule: RateLimitRule, points: number): number =>
  rule.durationSeconds * 1000 * (points >= rule.points ? GRADUATED_MEMORY_WINDOWS : 1);

/**
 * How long an address is still paused under a graduated limit, in ms (0: not paused). The stored
 * window end is the last attempt plus `graduatedMemoryMs`, so the count restarts only after a quiet
 * spell. The `points`-th attempt pauses the address for one step after it, each further one a step
 * longer (the k-th from there k steps), at most the window. Someone guessing without pause gets
 * `points` plus about `sqrt(2 × elapsed / step)` tries: some thirty in the first hour with 10/1h and
 * about a hundred and twenty a day (a fixed hourly window allowed 240); stopping for a while does
 * not reset the count. People behind one address who mistype a code now and then wait seconds, not
 * the rest of the hour, and are not paused between their mistypes.
 */
export function graduatedRetryAfterMs(rule: RateLimitRule, points: number, expireMs: number | null, nowMs: number): number {
  const over = points - rule.points + 1;
  if (over <= 0 || expireMs === null) return 0;
  const lastAttempt = expireMs - graduatedMemoryMs(rule, points);
  const pause = Math.min(rule.durationSeconds, over * graduatedStepSeconds(rule)) * 1000;
  return Math.max(0, lastAttempt + pause - nowMs);
}

/** null switches a limit off. */
export type RateLimitPolicy = Readonly<Record<RateLimitKind, RateLimitRule | null>>;

export const DEFAULT_RATE_LIMITS: Readonly<Record<RateLimitKind, string>> = {
  ip: '30/10m',
  email: '5/1h',
  token: '100/10m',
  unknownCode: '10/1h',
};

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const MAX_POINTS = 1_000_000;
const MAX_SECONDS = 7 * 86_400;

/** Reads `N/<duration>` (`s`, `m`, `h`, `d`) or `off`; refuses anything else with a readable reason. */
export function parseRateLimit(text: string): Result<RateLimitRule | null, string> {
  const value = text.trim().toLowerCase();
  if (value === 'off') return ok(null);
  const match = /^(\d{1,7})\s*\/\s*(\d{1,6})\s*([smhd])$/.exec(value);
  if (!match) return err(`"${text}" is not a limit: write attempts/duration such as 30/10m, 5/1h or 100/1d, or off.`);
  const points = Number(match[1]);
  const durationSeconds = Number(match[2]) * UNITS[match[3]!]!;
  if (points < 1 || points > MAX_POINTS) return err(`"${text}": the number of attempts must be from 1 to ${MAX_POINTS}.`);
  if (durationSeconds < 1 || durationSeconds > MAX_SECONDS) return err(`"${text}": the window must be from 1 second to 7 days.`);
  return ok({ points, durationSeconds });
}

/** The policy from the plugin's options (absent keys take the defaults); every bad key is named. */
export function rateLimitPolicy(configured: Partial<Record<RateLimitKind, string | undefined>>): Result<RateLimitPolicy, string[]> {
  const problems: string[] = [];
  const policy: Partial<Record<RateLimitKind, RateLimitRule | null>> = {};
  for (const kind of RATE_LIMIT_KINDS) {
    const parsed = parseRateLimit(configured[kind] ?? DEFAULT_RATE_LIMITS[kind]);
    if (parsed.ok) policy[kind] = parsed.value && GRADUATED_KINDS.includes(kind) ? { ...parsed.value, graduated: true } : parsed.value;
    else problems.push(`${kind}: ${parsed.error}`);
  }
  return problems.length > 0 ? err(problems) : ok(policy as RateLimitPolicy);
}

/** What a limiter answers: allowed, or how long to wait (whole seconds, at least 1). */
export interface RateLimitVerdict {
  readonly allowed: boolean;
  readonly retryAfterSeconds: number;
}

export const ALLOWED: RateLimitVerdict = { allowed: true, retryAfterSeconds: 0 };

export const retryAfterSeconds = (msBeforeNext: number): number => Math.max(1, Math.ceil(msBeforeNext / 1000));
