/*
 * A conformance test: a stable id (`<profile>.<area>.<what>`, never renamed: reports and expectation
 * files refer to it), the profile it proves, a sentence saying the promise, and the check.
 */
import type { KitContext } from './context.js';
import type { ProfileId } from './profiles.js';

export interface ConformanceTest {
  readonly id: string;
  readonly profile: ProfileId;
  readonly title: string;
  /** When it runs: while the host declares its profile (the default), while it does not, or always. */
  readonly when?: 'declared' | 'absent' | 'always';
  /**
   * Optional host parts (dotted paths, e.g. `users.createEnrolled`) the test proves: it is planned only
   * when the host offers every one of them (an optional method inside a profile; the report lists the
   * parts a host does not offer and the tests left out for it).
   */
  readonly needs?: readonly string[];
  run(ctx: KitContext): Promise<void>;
}

const ID_RE = /^[a-z0-9]+(?:[.-][a-z0-9]+)+$/;

/** Declares a suite's tests; ids are checked for shape and prefixed with the profile. */
export function suite(
  profile: ProfileId, area: string,
  tests: Record<string, [title: string, run: (ctx: KitContext) => Promise<void>, needs?: readonly string[]]>,
): ConformanceTest[] {
  return Object.entries(tests).map(([name, [title, run, needs]]) => {
    const id = `${profile}.${area}.${name}`;
    if (!ID_RE.test(id)) throw new Error(`Malformed conformance test id "${id}"`);
    return { id, profile, title, run, ...(needs && needs.length > 0 && { needs }) };
  });
}

/** A failed promise of the contract, said in the contract's words. */
export class ContractViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractViolation';
  }
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ContractViolation(message);
}

/** JSON with every object's keys sorted: a payload's key order (e.g. jsonb's) is no part of the contract. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : v));
}

export function checkEqual<T>(actual: T, expected: T, message: string): void {
  const a = canonical(actual);
  const e = canonical(expected);
  if (a !== e) throw new ContractViolation(`${message}: expected ${e}, got ${a}`);
}

/** Resolves when the promise rejects (the error), fails when it resolves. */
export async function rejects(promise: Promise<unknown>, message: string): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new ContractViolation(message);
}
