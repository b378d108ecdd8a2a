/*
 * What to do after a message could not be sent. Three kinds of failure:
 * - permanent: the SMTP server answered 5xx (e.g. 550 recipient rejected), or the message could not
 *   be built at all. Trying again would fail again: the message is parked as failed at once, for an
 *   admin to see and retry.
 * - temporary: the server answered 4xx for this message (e.g. 451 try again later). Retried with
 *   exponential backoff and jitter; parked after the last try.
 * - outage: no SMTP server was reached (connection refused or reset, timeout, DNS, TLS, auth). Not
 *   the message's fault: retried with a backoff capped at a few minutes, and not counted as a try, so
 *   the mail simply waits for the server to come back, however long that takes.
 */

import { backoff } from '../shared/backoff.js';

export { backoff };

export type FailureKind = 'permanent' | 'temporary' | 'outage';

export interface RetryPolicy {
  /** Tries (temporary failures) before a message is parked as failed. */
  readonly maxAttempts: number;
  /** The first retry waits about this long; each next one twice as long. */
  readonly baseDelayMs: number;
  /** No wait is longer than this. */
  readonly maxDelayMs: number;
  /** During an outage no wait is longer than this, so mail leaves soon after the server is back. */
  readonly maxOutageDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 10,
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
  maxOutageDelayMs: 5 * 60_000,
};

export type NextStep =
  | { readonly kind: 'fail'; readonly reason: string }
  | { readonly kind: 'retry'; readonly delayMs: number; readonly outage: boolean };

/** A failure thrown while rendering (a template bug): not an SMTP matter, and not going to fix itself. */
export class RenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderError';
  }
}

const OUTAGE_CODES = new Set([
  'ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EAUTH', 'ENOAUTH', 'EPROXY', 'EMAXLIMIT',
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
]);

export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof RenderError) return 'permanent';
  const e = (error ?? {}) as { responseCode?: unknown; code?: unknown };
  const response = typeof e.responseCode === 'number' ? e.responseCode : NaN;
  if (response >= 500 && response < 600) return 'permanent';
  if (response >= 400 && response < 500) return 'temporary';
  if (typeof e.code === 'string' && OUTAGE_CODES.has(e.code)) return 'outage';
  // No recipient, a malformed address, a message nodemailer cannot build: permanent.
  if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') return 'permanent';
  // Anything else unknown (a bug in a transport, a dropped stream): worth a few more tries.
  return 'temporary';
}

/**
 * After try `attempts` (counting this one) failed with `kind`; `outageRetries` is how many earlier
 * tries found no server.
 */
export function nextStep(kind: FailureKind, attempts: number, outageRetries: number, policy: RetryPolicy, random: () => number = Math.random): NextStep {
  switch (kind) {
    case 'permanent':
      return { kind: 'fail', reason: 'permanent' };
    case 'outage':
      return { kind: 'retry', delayMs: backoff(outageRetries + 1, policy.baseDelayMs, policy.maxOutageDelayMs, random), outage: true };
    case 'temporary':
      if (attempts >= policy.maxAttempts) return { kind: 'fail', reason: 'last try' };
      return { kind: 'retry', delayMs: backoff(attempts, policy.baseDelayMs, policy.maxDelayMs, random), outage: false };
  }
}

/** A short, single-line description for the admin panel and the log. */
export function describeFailure(error: unknown): string {
  const e = (error ?? {}) as { message?: unknown; responseCode?: unknown; code?: unknown; response?: unknown };
  const message = typeof e.response === 'string' && e.response ? e.response : typeof e.message === 'string' ? e.message : String(error);
  const code = typeof e.code === 'string' ? e.code : null;
  const text = message.replace(/\s+/g, ' ').trim();
  return code && !text.includes(code) ? `${code}: ${text}` : text;
}
