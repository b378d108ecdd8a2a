/*
 * Runs the kit against one host: a fresh database, the host's factory, the host listening on
 * 127.0.0.1, then every test its declared profiles call for, one after another, each with its
 * clean-ups; expected failures from the host's expectations file are honoured both ways.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HOST_API_VERSION } from '../../src/contract/index.js';
import { ALL_TESTS } from '../suites/index.js';
import { KitContext } from './context.js';
import { createKitDatabase } from './database.js';
import type { ConformanceTest } from './define.js';
import { expectedFailure, NO_EXPECTATIONS, staleEntries, type Expectations } from './expectations.js';
import { featuresOf, hostOffers, PROFILES, type ProfileId } from './profiles.js';
import type { HostFactory, HostUnderTest } from './types.js';

export type TestStatus = 'passed' | 'failed' | 'expected-failure' | 'unexpected-pass';

export interface TestResult {
  readonly id: string;
  readonly profile: ProfileId;
  readonly title: string;
  readonly status: TestStatus;
  readonly durationMs: number;
  /** The failure, for failed and expected-failure tests. */
  readonly error?: string;
  /** The expectations file's reason, for expected failures and unexpected passes. */
  readonly expected?: string;
}

export interface ProfileReport {
  readonly id: ProfileId;
  readonly title: string;
  readonly kind: 'required' | 'optional';
  readonly declared: boolean;
  /** The plugin features (plugin/manifest.json `features`) this profile turns on; off while it is not declared. */
  readonly features: readonly { id: string; description: string }[];
}

export interface KitReport {
  readonly kit: 'self-registration host conformance';
  readonly contract: string;
  readonly host: string;
  readonly database: 'postgresql' | 'pglite';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly profiles: readonly ProfileReport[];
  /** Each optional method some test needs (`users.createEnrolled`): offered or not, and how many tests were left out without it. */
  readonly optionalParts: readonly { part: string; offered: boolean; testsLeftOut: number }[];
  /** Tests of declared profiles not run because the host does not offer an optional method they need (JUnit: skipped). */
  readonly leftOut: readonly { id: string; profile: ProfileId; title: string; missing: readonly string[] }[];
  readonly results: readonly TestResult[];
  /** Problems with the run itself (a stale expectations entry, a failed setup). */
  readonly problems: readonly string[];
  readonly summary: { total: number; passed: number; failed: number; expectedFailures: number; unexpectedPasses: number; ok: boolean };
}

export interface RunOptions {
  readonly expectations?: Expectations;
  /** Only the tests whose id passes (while working on one); the report says how many were left out. */
  readonly only?: (id: string) => boolean;
  readonly timeoutMs?: number;
  readonly onResult?: (result: TestResult, host: string) => void;
  readonly databaseUrl?: string;
}

export function planFor(hut: Pick<HostUnderTest, 'profiles' | 'host'>, tests: readonly ConformanceTest[] = ALL_TESTS): ConformanceTest[] {
  const declared = (id: ProfileId) => id === 'core' || hut.profiles.includes(id);
  return tests
    .filter((t) => (t.when === 'always') || (t.when === 'absent' ? !declared(t.profile) : declared(t.profile)))
    .filter((t) => (t.needs ?? []).every((part) => hostOffers(hut.host, part)));
}

/** The tests of declared profiles left out for an optional method the host does not offer. */
export function leftOutOf(hut: Pick<HostUnderTest, 'profiles' | 'host'>, tests: readonly ConformanceTest[] = ALL_TESTS): KitReport['leftOut'] {
  const declared = (id: ProfileId) => id === 'core' || hut.profiles.includes(id);
  return tests
    .filter((t) => t.when !== 'absent' && (t.when === 'always' || declared(t.profile)))
    .map((t) => ({ id: t.id, profile: t.profile, title: t.title, missing: (t.needs ?? []).filter((part) => !hostOffers(hut.host, part)) }))
    .filter((t) => t.missing.length > 0);
}

/** The optional parts the declared profiles' tests need, whether the host offers each, and the tests left out. */
export function optionalPartsOf(hut: Pick<HostUnderTest, 'profiles' | 'host'>, tests: readonly ConformanceTest[] = ALL_TESTS): KitReport['optionalParts'] {
  const declared = (id: ProfileId) => id === 'core' || hut.profiles.includes(id);
  const parts = new Map<string, { offered: boolean; testsLeftOut: number }>();
  for (const t of tests.filter((x) => x.when !== 'absent' && declared(x.profile))) {
    const missing = (t.needs ?? []).filter((part) => !hostOffers(hut.host, part));
    for (const part of t.needs ?? []) {
      const entry = parts.get(part) ?? { offered: hostOffers(hut.host, part), testsLeftOut: 0 };
      if (missing.length > 0 && missing[0] === part) entry.testsLeftOut += 1;
      parts.set(part, entry);
    }
  }
  return [...parts].map(([part, v]) => ({ part, ...v }));
}

async function runOne(test: ConformanceTest, ctx: KitContext, timeoutMs: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  let failure: string | null = null;
  try {
    await Promise.race([
      test.run(ctx),
      new Promise<never>((_r, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    failure = error instanceof Error ? `${error.name === 'ContractViolation' ? '' : `${error.name}: `}${error.message}` : String(error);
  } finally {
    clearTimeout(timer);
  }
  const cleanUp = await ctx.cleanUp();
  if (failure === null && cleanUp.length > 0) failure = `clean-up failed: ${cleanUp.map((e) => (e instanceof Error ? e.message : String(e))).join('; ')}`;
  return failure;
}

function statusOf(failure: string | null, expected: string | null): TestStatus {
  if (expected === null) return failure === null ? 'passed' : 'failed';
  return failure === null ? 'unexpected-pass' : 'expected-failure';
}

export async function runKit(factory: HostFactory, opts: RunOptions = {}): Promise<KitReport> {
  const started = Date.now();
  const expectations = opts.expectations ?? NO_EXPECTATIONS;
  const db = await createKitDatabase(opts.databaseUrl);
  let hut: HostUnderTest | null = null;
  const server = http.createServer((req, res) => {
    if (hut) hut.app(req, res);
    else res.writeHead(503).end();
  });
  const results: TestResult[] = [];
  const problems = staleEntries(expectations, ALL_TESTS).map((p) => `the expectations file lists ${p}, which is no test of the kit`);
  let name = expectations.host ?? 'host';
  let profiles: ProfileReport[] = [];
  let optionalParts: KitReport['optionalParts'] = [];
  let leftOut: KitReport['leftOut'] = [];
  try {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    hut = await factory({ knex: db.knex, publicBaseUrl: base });
    name = hut.name;
    const declared = (id: ProfileId) => id === 'core' || hut!.profiles.includes(id);
    profiles = PROFILES.map((p) => ({ id: p.id, title: p.title, kind: p.kind, declared: declared(p.id), features: featuresOf(p).map(({ id, description }) => ({ id, description })) }));
    optionalParts = optionalPartsOf(hut);
    leftOut = leftOutOf(hut).filter((t) => !opts.only || opts.only(t.id));
    const ctx = new KitContext(hut, db.knex, base, db.kind);
    for (const test of planFor(hut).filter((t) => !opts.only || opts.only(t.id))) {
      const at = Date.now();
      const failure = await runOne(test, ctx, opts.timeoutMs ?? 30000);
      const expected = expectedFailure(expectations, test.id);
      const result: TestResult = {
        id: test.id, profile: test.profile, title: test.title, status: statusOf(failure, expected), durationMs: Date.now() - at,
        ...(failure !== null && { error: failure }), ...(expected !== null && { expected }),
      };
      results.push(result);
      opts.onResult?.(result, name);
    }
  } catch (error) {
    problems.push(`the run could not complete: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  } finally {
    try {
      await hut?.dispose();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await db.destroy();
    }
  }
  const count = (s: TestStatus) => results.filter((r) => r.status === s).length;
  const summary = {
    total: results.length, passed: count('passed'), failed: count('failed'), expectedFailures: count('expected-failure'), unexpectedPasses: count('unexpected-pass'),
    ok: count('failed') === 0 && count('unexpected-pass') === 0 && problems.length === 0,
  };
  return {
    kit: 'self-registration host conformance', contract: HOST_API_VERSION, host: name, database: db.kind,
    startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, profiles, optionalParts, leftOut, results, problems, summary,
  };
}
