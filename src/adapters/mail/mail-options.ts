import type { PluginOptions } from '../../contract/index.js';
import { DEFAULT_RETRY_POLICY } from './delivery-policy.js';

/** The mail and notification options with their defaults applied (see plugin/manifest.json). */
export interface MailOptions {
  readonly from: string;
  readonly pollMs: number;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly outageRetryMaxMs: number;
  readonly smtpMaxConnections: number;
  readonly digestHour: number;
  readonly digestCheckMs: number;
}

const RULES: { key: keyof PluginOptions; min: number; max: number; what: string }[] = [
  { key: 'mailMaxAttempts', min: 1, max: 100, what: 'a whole number from 1 to 100' },
  { key: 'mailRetryBaseMs', min: 10, max: 3_600_000, what: 'a whole number of milliseconds from 10 to 3600000' },
  { key: 'mailOutageRetryMaxMs', min: 10, max: 3_600_000, what: 'a whole number of milliseconds from 10 to 3600000' },
  { key: 'smtpMaxConnections', min: 1, max: 50, what: 'a whole number from 1 to 50' },
  { key: 'digestHour', min: 0, max: 23, what: 'a whole hour from 0 to 23' },
  { key: 'digestCheckMs', min: 50, max: 3_600_000, what: 'a whole number of milliseconds from 50 to 3600000' },
];

/** One sentence per bad mail option, naming it and what it must be. */
export function mailOptionProblems(options: PluginOptions | undefined): string[] {
  const problems: string[] = [];
  for (const { key, min, max, what } of RULES) {
    const value = options?.[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) problems.push(`options.${key} must be ${what}.`);
  }
  return problems;
}

export function mailOptions(options: PluginOptions): MailOptions {
  return {
    from: options.mailFrom ?? 'no-reply@localhost',
    pollMs: options.outboxPollMs ?? 2000,
    maxAttempts: options.mailMaxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts,
    retryBaseMs: options.mailRetryBaseMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
    outageRetryMaxMs: options.mailOutageRetryMaxMs ?? DEFAULT_RETRY_POLICY.maxOutageDelayMs,
    smtpMaxConnections: options.smtpMaxConnections ?? 5,
    digestHour: options.digestHour ?? 7,
    digestCheckMs: options.digestCheckMs ?? 60_000,
  };
}
