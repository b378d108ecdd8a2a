import type { RandomSource } from '../../../src/domain/ports/random.port.js';

/** int() replays the scripted values, then counts 0, 1, 2… (mod max); secret() is distinct per call. */
export class FakeRandom implements RandomSource {
  readonly intCalls: number[] = [];
  readonly secretCalls: number[] = [];
  constructor(private readonly script: number[] = []) {}

  int(maxExclusive: number): number {
    this.intCalls.push(maxExclusive);
    const scripted = this.script.shift();
    return scripted ?? (this.intCalls.length - 1) % maxExclusive;
  }

  secret(bytes: number): string {
    this.secretCalls.push(bytes);
    return `Secret_${String(this.secretCalls.length).padStart(36, '0')}`; // 43 URL-safe characters
  }
}
