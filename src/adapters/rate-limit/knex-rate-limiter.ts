import { createHmac } from 'node:crypto';
import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import type { PluginOptions } from '../../contract/index.js';
import type { LoggerPort } from '../../domain/ports/logger.port.js';
import type { RateLimitCheck, RateLimitPort } from '../../domain/ports/rate-limit.port.js';
import {
  ALLOWED, graduatedMemoryMs, graduatedRetryAfterMs, graduatedStepSeconds, RATE_LIMIT_KINDS, rateLimitPolicy, retryAfterSeconds, type RateLimitKind, type RateLimitPolicy, type RateLimitRule, type RateLimitVerdict,
} from '../../domain/registration/rate-limit.js';
import type { LifecycleContribution } from '../../types.js';
import { TYPES } from '../../types.js';
import { deriveKey } from '../crypto/crypto.adapters.js';
import { preparedStatement } from '../shared/knex-helpers.js';

/** Created by the plugin's migration (key, points, expire), the shape rate-limiter-flexible expects. */
export const RATE_LIMIT_TABLE = 'selfreg_rate_limits';
const CLEANUP_EVERY_MS = 5 * 60 * 1000;

/** SQL true while a graduated check `c<n>` allows (not paused); numbers inlined from the validated policy and the clock. */
function graduatedAllowed(n: number, rule: RateLimitRule, now: number): string {
  const windowMs = Number(rule.durationSeconds) * 1000;
  const stepMs = graduatedStepSeconds(rule) * 1000;
  const points = Number(rule.points);
  const memoryMs = graduatedMemoryMs(rule, points);
  return `coalesce((select not (points >= ${points} and expire - ${memoryMs} + least(${windowMs}, (points - ${points} + 1) * ${stepMs}) > ${Number(now)}) from c${n}), true)`;
}

/** The plugin options that set the limits, by kind. */
export const RATE_LIMIT_OPTIONS: Record<RateLimitKind, keyof PluginOptions> = {
  ip: 'rateLimitIp',
  email: 'rateLimitEmail',
  token: 'rateLimitToken',
  unknownCode: 'rateLimitUnknownCode',
};

/** The policy configured in the plugin options; throws one error naming every bad option. */
export function policyFromOptions(options: PluginOptions): RateLimitPolicy {
  const configured: Partial<Record<RateLimitKind, string>> = {};
  for (const kind of RATE_LIMIT_KINDS) {
    const value = options[RATE_LIMIT_OPTIONS[kind]];
    if (value !== undefined) configured[kind] = String(value);
  }
  const policy = rateLimitPolicy(configured);
  if (!policy.ok) throw new Error(`Invalid rate limit options: ${policy.error.map((p) => `options.${RATE_LIMIT_OPTIONS[p.split(':')[0] as RateLimitKind]} ${p.slice(p.indexOf(':') + 1).trim()}`).join('; ')}`);
  return policy.value;
}

/**
 * Abuse limits stored in PostgreSQL, so every instance of the plugin shares one count: fixed windows
 * in rate-limiter-flexible's table layout (key `<kind>:<HMAC>`, points, window end in epoch ms),
 * each counted by one upsert. Several checks go in ONE statement (a CTE per check), and a check
 * marked `onlyIfAllowed` is counted only when the checks before it allowed. A graduated limit (unknown
 * codes) restarts its window at every attempt and pauses briefly after each one over its allowance,
 * read from the same (points, window end): the layout stays rate-limiter-flexible's. Keys are HMACs (the
 * plugin secret): the table holds no email or IP address. Expired rows are removed every five minutes.
 */
@injectable()
export class KnexRateLimiter implements RateLimitPort, LifecycleContribution {
  private policy: Partial<Record<RateLimitKind, RateLimitRule>> = {};
  private readonly key: Buffer;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @inject(TYPES.Database) private readonly knex: Knex,
    @inject(TYPES.Options) private readonly options: PluginOptions,
    @inject(TYPES.Logger) private readonly logger: LoggerPort,
  ) {
    this.key = deriveKey(options.secret, 'rate-limit-keys');
  }

  start(): void {
    const policy = policyFromOptions(this.options);
    this.policy = {};
    for (const kind of RATE_LIMIT_KINDS) {
      const rule = policy[kind];
      if (rule) this.policy[kind] = rule;
    }
    this.timer = setInterval(() => void this.clearExpired(), CLEANUP_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.policy = {};
  }

  async consume(kind: RateLimitKind, key: string): Promise<RateLimitVerdict> {
    return (await this.checkAll([{ kind, key, mode: 'consume' }]))[0]!;
  }

  async peek(kind: RateLimitKind, key: string): Promise<RateLimitVerdict> {
    return (await this.checkAll([{ kind, key, mode: 'peek' }]))[0]!;
  }

  async checkAll(checks: readonly RateLimitCheck[]): Promise<RateLimitVerdict[]> {
    const active = checks.map((c, i) => ({ ...c, i, rule: this.policy[c.kind] })).filter((c): c is typeof c & { rule: RateLimitRule } => !!c.rule);
    const verdicts: RateLimitVerdict[] = checks.map(() => ALLOWED);
    if (active.length === 0) return verdicts;
    const now = Date.now();
    const ctes: string[] = [];
    const bindings: unknown[] = [];
    const allowedSoFar: string[] = [];
    for (const [n, c] of active.entries()) {
      const key = this.storedKey(c.kind, c.key);
      if (c.mode === 'peek') {
        ctes.push(`c${n} as (select points, expire from ${RATE_LIMIT_TABLE} where key = ? and (expire > ? or expire is null))`);
        bindings.push(key, now);
      } else {
        const gate = c.onlyIfAllowed && allowedSoFar.length > 0 ? ` where ${allowedSoFar.join(' and ')}` : '';
        const points = `case when t.expire <= ? or t.expire is null then 1 else t.points + 1 end`;
        // A graduated count restarts its window at every attempt and is kept longer once at the allowance.
        const expire = c.rule.graduated
          ? `case when (${points}) >= ${Number(c.rule.points)} then ${now + graduatedMemoryMs(c.rule, c.rule.points)} else excluded.expire end`
          : `case when t.expire <= ? or t.expire is null then excluded.expire else t.expire end`;
        ctes.push(`c${n} as (insert into ${RATE_LIMIT_TABLE} as t (key, points, expire) select ?::varchar, 1, ?::bigint${gate}
          on conflict (key) do update set points = ${points}, expire = ${expire}
          returning points, expire)`);
        // The gate's limits and the graduated window ends are inlined numbers (the validated policy, the clock):
        // they take no bindings. A first attempt's window end is bound (graduated: longer when 1 is the allowance).
        bindings.push(key, now + (c.rule.graduated ? graduatedMemoryMs(c.rule, 1) : c.rule.durationSeconds * 1000), now, now);
      }
      allowedSoFar.push(c.rule.graduated && c.mode === 'peek' ? graduatedAllowed(n, c.rule, now) : `coalesce((select points from c${n}), 0) ${c.mode === 'peek' ? '<' : '<='} ${Number(c.rule.points)}`);
    }
    const select = active.map((_, n) => `select ${n} as n, points, expire from c${n}`).join(' union all ');
    const result = await preparedStatement(this.knex, `with ${ctes.join(', ')} ${select}`, bindings);
    for (const row of (result as { rows: { n: number; points: unknown; expire: unknown }[] }).rows) {
      const c = active[Number(row.n)]!;
      const points = Number(row.points);
      // A graduated limit: paused for a while after each attempt over its allowance (see the domain).
      const msBeforeNext = c.rule.graduated
        ? graduatedRetryAfterMs(c.rule, points, row.expire === null ? null : Number(row.expire), now)
        : row.expire === null ? 0 : Number(row.expire) - now;
      // Counting an attempt refuses it only over the allowance (as a fixed window would); a peek, while paused.
      const over = c.mode === 'peek'
        ? (c.rule.graduated ? msBeforeNext > 0 : points >= c.rule.points)
        : points > c.rule.points && (!c.rule.graduated || msBeforeNext > 0);
      if (!over) continue;
      // Logged once per key and window (the first refusal), not for every request of a flood.
      if (c.mode === 'consume' && points === c.rule.points + 1) this.logger.warn('Rate limit reached', { limit: c.kind, retryAfterSeconds: retryAfterSeconds(msBeforeNext) });
      verdicts[c.i] = { allowed: false, retryAfterSeconds: retryAfterSeconds(msBeforeNext) };
    }
    return verdicts;
  }

  /** Rows whose window ended over an hour ago. */
  async clearExpired(): Promise<void> {
    try {
      await this.knex(RATE_LIMIT_TABLE).where('expire', '<', Date.now() - 3_600_000).delete().returning('key');
    } catch (e) {
      this.logger.warn('Could not clear expired rate-limit rows', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  /** The row key of `key`'s counter of `kind` (what erasure deletes): `<kind>:<HMAC>`, never the key itself. */
  storedKey(kind: RateLimitKind, key: string): string {
    return `${kind}:${this.digest(kind, key)}`;
  }

  private digest(kind: RateLimitKind, key: string): string {
    return createHmac('sha256', this.key).update(`${kind}\u0000${key}`, 'utf8').digest('base64url');
  }
}

