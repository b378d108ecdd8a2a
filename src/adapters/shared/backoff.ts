/** base·2^(n−1), ±25 % jitter, capped: the wait before retry `n` of mail and webhook deliveries. `random` returns [0, 1). */
export function backoff(n: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const raw = baseMs * 2 ** Math.max(0, n - 1);
  return Math.round(Math.min(capMs, raw * (0.75 + random() * 0.5)));
}
