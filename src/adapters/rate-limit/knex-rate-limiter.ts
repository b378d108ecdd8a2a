import { createHmac } from 'node:crypto';
import type { Knex } from 'knex';
import { inject, injectable } from 'inversify';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { PluginOptions } from '../../contract/index.js';
import type { LoggerPort } from '../../domain/ports/logger.port.js';
import type { RateLimitPort } from '../../domain/ports/rate-limit.port.js';
import {
  ALLOWED, RATE_LIMIT_KINDS, rateLimitPolicy, retryAfterSeconds, type RateLimitKind, type RateLimitPolicy, type RateLimitVerdict,
} from '../../domain/registration/rate-limit.js';
import type { LifecycleContribution } from '../../types.js';
import { TYPES } from '../../types.js';
import { deriveKey } from '../crypto/crypto.adapters.js';

/** Created by the plugin's migration (key, points, expire), the shape rate-limiter-flexible expects. */
export const RATE_LIMIT_TABLE = 'selfreg_rate_limits';
const CLEANUP_EVERY_MS = 5 * 60 * 1000;

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

type Row = { points: unknown; expire: unknown };
type QueryResult = { rows: Row[]; rowCount: number };
type Connection = { query(q: { text: string; values?: unknown[]; name?: string } | string, values?: unknown[]): Promise<unknown> };

/**
 * knex's connection as rate-limiter-flexible's `storeType: 'knex'` uses it. node-postgres takes its
 * `{ name, text, values }` query objects as they are; other drivers (PGlite) get `query(text, values)`
 * and an answer reshaped to node-postgres's (`rowCount`, numbers rather than bigints).
 */
function knexStore(knex: Knex): { client: { acquireConnection(): Promise<Connection>; releaseConnection(c: Connection): unknown } } {
  const client = knex.client as { acquireConnection(): Promise<Connection>; releaseConnection(c: Connection): unknown };
  const raw = new WeakMap<Connection, Connection>();
  return {
    client: {
      async acquireConnection() {
        const conn = await client.acquireConnection();
        if ('connectionParameters' in conn) return conn; // node-postgres
        const shim: Connection = {
          async query(q) {
            const { text, values } = typeof q === 'string' ? { text: q, values: [] } : q;
            const result = (await conn.query(text, values ?? [])) as { rows?: Row[]; affectedRows?: number };
            const rows = (result.rows ?? []).map((r) => ({ points: Number(r.points), expire: r.expire === null ? null : Number(r.expire) }));
            return { rows, rowCount: rows.length || (result.affectedRows ?? 0) } satisfies QueryResult;
          },
        };
        raw.set(shim, conn);
        return shim;
      },
      releaseConnection(conn) {
        return client.releaseConnection(raw.get(conn) ?? conn);
      },
    },
  };
}

/**
 * Abuse limits stored in PostgreSQL (rate-limiter-flexible over the host's knex), so every instance
 * of the plugin shares one count. Keys are HMACs (the plugin secret): the table holds no email or
 * IP address. Expired rows are removed every five minutes while the plugin runs.
 */
@injectable()
export class KnexRateLimiter implements RateLimitPort, LifecycleContribution {
  private limiters: Partial<Record<RateLimitKind, RateLimiterPostgres>> = {};
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
    const store = knexStore(this.knex);
    this.limiters = {};
    for (const kind of RATE_LIMIT_KINDS) {
      const rule = policy[kind];
      if (!rule) continue;
      this.limiters[kind] = new RateLimiterPostgres({
        storeClient: store,
        storeType: 'knex',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: kind,
        points: rule.points,
        duration: rule.durationSeconds,
      });
    }
    this.timer = setInterval(() => void this.clearExpired(), CLEANUP_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.limiters = {};
  }

  async consume(kind: RateLimitKind, key: string): Promise<RateLimitVerdict> {
    const limiter = this.limiters[kind];
    if (!limiter) return ALLOWED;
    try {
      await limiter.consume(this.digest(kind, key));
      return ALLOWED;
    } catch (e) {
      if (e instanceof RateLimiterRes) {
        // Logged once per key and window (the first refusal), not for every request of a flood.
        if (e.consumedPoints === limiter.points + 1) this.logger.warn('Rate limit reached', { limit: kind, retryAfterSeconds: retryAfterSeconds(e.msBeforeNext) });
        return { allowed: false, retryAfterSeconds: retryAfterSeconds(e.msBeforeNext) };
      }
      throw e;
    }
  }

  async peek(kind: RateLimitKind, key: string): Promise<RateLimitVerdict> {
    const limiter = this.limiters[kind];
    if (!limiter) return ALLOWED;
    const res = await limiter.get(this.digest(kind, key));
    if (!res || res.consumedPoints < limiter.points) return ALLOWED;
    return { allowed: false, retryAfterSeconds: retryAfterSeconds(res.msBeforeNext) };
  }

  /** Rows whose window ended over an hour ago (the library's own rule). */
  async clearExpired(): Promise<void> {
    try {
      await this.knex(RATE_LIMIT_TABLE).where('expire', '<', Date.now() - 3_600_000).delete().returning('key');
    } catch (e) {
      this.logger.warn('Could not clear expired rate-limit rows', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  private digest(kind: RateLimitKind, key: string): string {
    return createHmac('sha256', this.key).update(`${kind}\u0000${key}`, 'utf8').digest('base64url');
  }
}
