/*
 * What follows one try of a webhook delivery. 2xx: delivered. 410 Gone: the receiver says the
 * endpoint is gone for good — the delivery fails and the endpoint is disabled at once. Anything else
 * (another status, a timeout, a refused or unresolvable address): tried again with exponential
 * backoff, never sooner than the receiver's Retry-After, for as long as the retry window (about three
 * days) lasts; a delivery whose window is over fails, and so does its endpoint. A test send is tried once.
 */

export type AttemptOutcome =
  | { readonly kind: 'answered'; readonly status: number; readonly retryAfterMs: number | null }
  | { readonly kind: 'unreachable'; readonly error: string };

export interface WebhookRetryPolicy {
  /** The first retry waits about this long, each next one twice as long (±25 % jitter). */
  readonly baseDelayMs: number;
  /** No wait is longer than this (a Retry-After included). */
  readonly maxDelayMs: number;
  /** A delivery is tried for this long after it was written, then fails. */
  readonly windowMs: number;
}

export type DeliveryStep =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retry'; readonly delayMs: number }
  | { readonly kind: 'fail'; readonly disableEndpoint: boolean; readonly reason: 'gone' | 'window' | 'test' };

export const isSuccess = (status: number): boolean => status >= 200 && status < 300;

/**
 * After try `attempts` of a delivery written at `createdAt` ended with `outcome`, at `now`.
 * `backoffMs(n)` is the jittered wait before retry n.
 */
export function nextDeliveryStep(
  outcome: AttemptOutcome,
  delivery: { readonly attempts: number; readonly createdAt: Date; readonly test: boolean },
  now: Date,
  policy: WebhookRetryPolicy,
  backoffMs: (n: number) => number,
): DeliveryStep {
  if (outcome.kind === 'answered' && isSuccess(outcome.status)) return { kind: 'delivered' };
  if (outcome.kind === 'answered' && outcome.status === 410) return { kind: 'fail', disableEndpoint: !delivery.test, reason: 'gone' };
  if (delivery.test) return { kind: 'fail', disableEndpoint: false, reason: 'test' };
  const retryAfter = outcome.kind === 'answered' ? outcome.retryAfterMs ?? 0 : 0;
  const delayMs = Math.min(policy.maxDelayMs, Math.max(backoffMs(delivery.attempts), retryAfter));
  if (now.getTime() + delayMs > delivery.createdAt.getTime() + policy.windowMs) return { kind: 'fail', disableEndpoint: true, reason: 'window' };
  return { kind: 'retry', delayMs };
}

/** Retry-After as seconds or an HTTP date, in milliseconds from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
