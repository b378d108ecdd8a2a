import type { PluginOptions } from '../contract/index.js';
import { parseRateLimit, RATE_LIMIT_KINDS, type RateLimitKind, type RateLimitPolicy, type RateLimitRule } from '../domain/registration/rate-limit.js';
import type { Manifest } from './manifest.js';

/*
 * The plugin's options, read from the manifest's `configuration`: each key's default comes from the
 * manifest, its rule from OPTION_RULES below. register() resolves them once (defaults applied, every
 * value checked) and binds the result as TYPES.ResolvedOptions; nothing else applies a default.
 */

/** The options with every default applied, as every adapter should read them. */
export interface ResolvedOptions {
  readonly secret: string;
  /** Null: mail goes to the host's dev mailbox. */
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  readonly outboxPollMs: number;
  readonly mailMaxAttempts: number;
  readonly mailRetryBaseMs: number;
  readonly mailOutageRetryMaxMs: number;
  readonly smtpMaxConnections: number;
  readonly digestHour: number;
  readonly digestCheckMs: number;
  readonly rateLimitIp: string;
  readonly rateLimitEmail: string;
  readonly rateLimitToken: string;
  readonly rateLimitUnknownCode: string;
  /** `public`: webhooks only to https:// public addresses; `loopback` (development): also http(s) to this machine. */
  readonly webhookNetwork: 'public' | 'loopback';
  readonly webhookRetryBaseMs: number;
  readonly webhookRetryWindowMs: number;
  readonly webhookTimeoutMs: number;
  readonly webhookConcurrency: number;
  /** The four rate-limit options, parsed (null: that limit is off). */
  readonly rateLimits: RateLimitPolicy;
}

/** The option keys the code reads; each must be declared in the manifest's `configuration`, and only these. */
export type OptionKey = Exclude<keyof ResolvedOptions, 'rateLimits'>;

/** One refused option value: which key, which environment variable sets it, and what it must be. */
export interface OptionProblem {
  readonly key: string;
  readonly env: string;
  readonly value: unknown;
  /** The sentence a person reads, naming the key and what its value must be. */
  readonly message: string;
}

type Check = (value: unknown, key: string, env: string) => string | null;

const wholeNumber = (min: number, max: number, what: string): Check => (value, key) =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? null : `options.${key} must be ${what}.`;

const rateLimit: Check = (value, key) => {
  if (typeof value !== 'string') return `options.${key} must be attempts/window such as 30/10m, or off.`;
  const parsed = parseRateLimit(value);
  return parsed.ok ? null : `options.${key} ${parsed.error}`;
};

/** The rule of each key: the type of its value, and what a valid one is. */
export const OPTION_RULES: Readonly<Record<OptionKey, { readonly type: 'string' | 'number'; readonly nullable?: true; readonly check: Check }>> = {
  secret: {
    type: 'string',
    check: (v, key, env) => (typeof v === 'string' && v.length >= 32 ? null : `options.${key} (${env}) must be at least 32 characters.`),
  },
  smtpUrl: {
    type: 'string',
    nullable: true,
    check: (v, key, env) => (v === null || (typeof v === 'string' && /^smtps?:\/\/.+/.test(v)) ? null : `options.${key} (${env}) must start with smtp:// or smtps://.`),
  },
  mailFrom: { type: 'string', check: (v, key) => (typeof v === 'string' ? null : `options.${key} must be an email address.`) },
  outboxPollMs: {
    type: 'number',
    check: (v, key) => (typeof v === 'number' && Number.isInteger(v) && v >= 50 ? null : `options.${key} must be a whole number of milliseconds, at least 50.`),
  },
  mailMaxAttempts: { type: 'number', check: wholeNumber(1, 100, 'a whole number from 1 to 100') },
  mailRetryBaseMs: { type: 'number', check: wholeNumber(10, 3_600_000, 'a whole number of milliseconds from 10 to 3600000') },
  mailOutageRetryMaxMs: { type: 'number', check: wholeNumber(10, 3_600_000, 'a whole number of milliseconds from 10 to 3600000') },
  smtpMaxConnections: { type: 'number', check: wholeNumber(1, 50, 'a whole number from 1 to 50') },
  digestHour: { type: 'number', check: wholeNumber(0, 23, 'a whole hour from 0 to 23') },
  digestCheckMs: { type: 'number', check: wholeNumber(50, 3_600_000, 'a whole number of milliseconds from 50 to 3600000') },
  rateLimitIp: { type: 'string', check: rateLimit },
  rateLimitEmail: { type: 'string', check: rateLimit },
  rateLimitToken: { type: 'string', check: rateLimit },
  rateLimitUnknownCode: { type: 'string', check: rateLimit },
  webhookNetwork: {
    type: 'string',
    check: (v, key, env) => (v === 'public' || v === 'loopback' ? null : `options.${key} (${env}) must be public, or loopback (development only: webhooks may then reach this machine).`),
  },
  webhookRetryBaseMs: { type: 'number', check: wholeNumber(10, 3_600_000, 'a whole number of milliseconds from 10 to 3600000') },
  webhookRetryWindowMs: { type: 'number', check: wholeNumber(1000, 30 * 86_400_000, 'a whole number of milliseconds from 1000 to 2592000000 (30 days)') },
  webhookTimeoutMs: { type: 'number', check: wholeNumber(100, 60_000, 'a whole number of milliseconds from 100 to 60000') },
  webhookConcurrency: { type: 'number', check: wholeNumber(1, 100, 'a whole number from 1 to 100') },
};

/** The option that sets each rate limit. */
export const RATE_LIMIT_OPTION_KEYS: Readonly<Record<RateLimitKind, OptionKey>> = {
  ip: 'rateLimitIp',
  email: 'rateLimitEmail',
  token: 'rateLimitToken',
  unknownCode: 'rateLimitUnknownCode',
};

/**
 * Where the manifest's `configuration` and OPTION_RULES disagree: a declared key without a rule, a
 * rule for an undeclared key, or a default the rule refuses. Such a plugin cannot load.
 */
export function configurationProblems(manifest: Pick<Manifest, 'configuration'>): string[] {
  const problems: string[] = [];
  const declared = new Map(manifest.configuration.map((c) => [c.key, c]));
  for (const key of Object.keys(OPTION_RULES)) {
    if (!declared.has(key)) problems.push(`The code reads option "${key}", which plugin/manifest.json does not declare in configuration.`);
  }
  for (const entry of manifest.configuration) {
    const rule = OPTION_RULES[entry.key as OptionKey];
    if (!rule) {
      problems.push(`plugin/manifest.json declares option "${entry.key}" (${entry.env}), which the code has no rule for.`);
      continue;
    }
    if (entry.required || entry.default === null) {
      if (!entry.required && !rule.nullable) problems.push(`plugin/manifest.json gives option "${entry.key}" no default, but it is not marked required.`);
      continue;
    }
    if (rule.check(entry.default, entry.key, entry.env) !== null) problems.push(`plugin/manifest.json's default for option "${entry.key}" breaks its own rule.`);
  }
  return problems;
}

/** Every refused value of `options`, in the manifest's order; absent keys take the manifest's default. */
export function optionProblems(manifest: Pick<Manifest, 'configuration'>, options: PluginOptions | undefined): OptionProblem[] {
  const given = (options ?? {}) as unknown as Record<string, unknown>;
  const problems: OptionProblem[] = [];
  for (const { key, env, required, default: fallback } of manifest.configuration) {
    const rule = OPTION_RULES[key as OptionKey];
    if (!rule) continue;
    const value = given[key] === undefined ? (required ? undefined : fallback) : given[key];
    const message = rule.check(value, key, env);
    if (message !== null) problems.push({ key, env, value: given[key], message });
  }
  return problems;
}

/**
 * The options with the manifest's defaults applied. Call it on options optionProblems() accepted:
 * it throws on a value it cannot use.
 */
export function resolveOptions(manifest: Pick<Manifest, 'configuration'>, options: PluginOptions): ResolvedOptions {
  const problems = optionProblems(manifest, options);
  if (problems.length > 0) throw new Error(`Invalid plugin options: ${problems.map((p) => p.message).join(' ')}`);
  const given = options as unknown as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  for (const { key, default: fallback } of manifest.configuration) values[key] = given[key] === undefined ? fallback : given[key];
  const rateLimits = {} as Record<RateLimitKind, RateLimitRule | null>;
  for (const kind of RATE_LIMIT_KINDS) {
    const parsed = parseRateLimit(String(values[RATE_LIMIT_OPTION_KEYS[kind]]));
    if (!parsed.ok) throw new Error(parsed.error);
    rateLimits[kind] = parsed.value;
  }
  return Object.freeze({ ...(values as unknown as Omit<ResolvedOptions, 'rateLimits'>), rateLimits: Object.freeze(rateLimits) });
}

/** A problem as register() reports it: the sentence, and the environment variable if it does not name it. */
export const describeOptionProblem = (p: OptionProblem): string =>
  p.message.includes(p.env) ? p.message : `${p.message} [environment variable ${p.env}]`;
