/** Cryptographically strong randomness (the adapter uses node:crypto). */
export interface RandomSource {
  /** A uniformly random integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** n random bytes as URL-safe base64 (for emailed link secrets). */
  secret(bytes: number): string;
}
