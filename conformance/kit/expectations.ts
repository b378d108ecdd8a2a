/*
 * A host's expectations file: the tests it is known to fail, each with the reason. A listed test that
 * fails is an expected failure (the run stays green); a listed test that passes is an unexpected pass
 * and fails the run, so the file is kept true. `profile.*` lists every test of a profile at once.
 *
 *   { "host": "my-lms", "expectedFailures": { "reporting.*": "the reports port ships in 4.2" } }
 */
import { readFileSync } from 'node:fs';
import type { ConformanceTest } from './define.js';

export interface Expectations {
  readonly host: string | null;
  readonly expectedFailures: Readonly<Record<string, string>>;
}

export const NO_EXPECTATIONS: Expectations = { host: null, expectedFailures: {} };

export function readExpectations(file: string | undefined): Expectations {
  if (!file) return NO_EXPECTATIONS;
  const json = JSON.parse(readFileSync(file, 'utf8')) as Partial<Expectations>;
  const failures = json.expectedFailures ?? {};
  if (typeof failures !== 'object' || Array.isArray(failures)) throw new Error(`${file}: expectedFailures must map test ids to reasons`);
  for (const [id, reason] of Object.entries(failures)) {
    if (typeof reason !== 'string' || reason.trim() === '') throw new Error(`${file}: the expected failure ${id} needs a reason`);
  }
  return { host: typeof json.host === 'string' ? json.host : null, expectedFailures: failures };
}

/** The reason a test is expected to fail, or null. */
export function expectedFailure(expectations: Expectations, id: string): string | null {
  for (const [pattern, reason] of Object.entries(expectations.expectedFailures)) {
    if (pattern === id || (pattern.endsWith('.*') && id.startsWith(pattern.slice(0, -1)))) return reason;
  }
  return null;
}

/** Entries that name no test the kit has (a renamed or removed test): the file must not go stale. */
export function staleEntries(expectations: Expectations, tests: readonly ConformanceTest[]): string[] {
  return Object.keys(expectations.expectedFailures).filter((pattern) => !tests.some((t) => pattern === t.id || (pattern.endsWith('.*') && t.id.startsWith(pattern.slice(0, -1)))));
}
