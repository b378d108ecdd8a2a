import { execSync, fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import type { LoadRequest, LoadResult } from './load-generator.js';

export interface BenchContext {
  readonly databaseUrl: string;
  log(line: string): void;
}

export interface Bench {
  readonly name: string;
  /** Runs, prints its figures through ctx.log, and returns them for the closing JSON line. */
  run(ctx: BenchContext): Promise<Record<string, number | string | boolean>>;
}

/** One measured run: the load generator's figures and CPU milliseconds per request. */
export interface Measured extends LoadResult {
  /** The server process's CPU (user + system) per request, load generator excluded (it runs apart). */
  readonly serverCpuMs: number;
  /** The PostgreSQL backends' CPU per request (utime + stime from /proc/<pid>/stat of the databases' backends). */
  readonly pgCpuMs: number;
}

export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export const round = (n: number, places = 2): number => Math.round(n * 10 ** places) / 10 ** places;

export function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length === 0 ? 0 : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median: round(median, 3), min: round(sorted[0] ?? 0, 3), max: round(sorted[sorted.length - 1] ?? 0, 3) };
}

export const range = (s: Stats, places = 2): string => `${s.median.toFixed(places)} (${s.min.toFixed(places)}–${s.max.toFixed(places)})`;

/** autocannon in a child process, kept for the whole run. */
export class LoadGenerator {
  private next = 1;
  private readonly waiting = new Map<number, { resolve(r: LoadResult): void; reject(e: Error): void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: { id?: number; result?: LoadResult; error?: string }) => {
      const w = m.id !== undefined ? this.waiting.get(m.id) : undefined;
      if (!w) return;
      this.waiting.delete(m.id!);
      if (m.error) w.reject(new Error(m.error));
      else w.resolve(m.result!);
    });
  }

  static start(): Promise<LoadGenerator> {
    const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'load-generator.ts');
    const child = fork(file, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      child.once('message', () => resolve(new LoadGenerator(child)));
      child.once('error', reject);
    });
  }

  run(request: LoadRequest): Promise<LoadResult> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ id, request });
    });
  }

  close(): void {
    this.child.kill();
  }
}

const TICK_MS = 1000 / Number(execSync('getconf CLK_TCK').toString().trim() || 100);

function backendCpuMs(pid: number): number {
  try {
    // Fields after the command's closing parenthesis: utime is the 14th field, stime the 15th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0; // the backend has gone (or PostgreSQL runs elsewhere): nothing to count
  }
}

/** CPU of this process and of the PostgreSQL backends serving `databases`, between start() and stop(). */
export class CpuMeter {
  constructor(private readonly knex: Knex, private readonly databases: readonly string[]) {}

  private async backends(): Promise<Map<number, number>> {
    const result = await this.knex.raw('select pid from pg_stat_activity where datname = any(?) and pid <> pg_backend_pid()', [this.databases as string[]]);
    return new Map((result.rows as { pid: number }[]).map((r) => [r.pid, backendCpuMs(r.pid)]));
  }

  async measure(work: () => Promise<LoadResult>): Promise<Measured> {
    const pgBefore = await this.backends();
    const cpuBefore = process.cpuUsage();
    const result = await work();
    const cpu = process.cpuUsage(cpuBefore);
    const pgAfter = await this.backends();
    let pgMs = 0;
    for (const [pid, ms] of pgAfter) pgMs += ms - (pgBefore.get(pid) ?? 0);
    const n = Math.max(1, result.requests);
    return { ...result, serverCpuMs: round((cpu.user + cpu.system) / 1000 / n, 3), pgCpuMs: round(pgMs / n, 3) };
  }
}

export interface Pairs {
  readonly baseline: readonly Measured[];
  readonly subject: readonly Measured[];
  /** subject ÷ baseline req/s, one per pair. */
  readonly ratio: Stats;
}

/**
 * `n` pairs measured back to back, alternating which of the two goes first, each ratio taken within
 * its pair: a spike of the machine lands on both sides of one ratio, and the median of the pairs
 * ignores it. `between` runs before each pair (e.g. VACUUM of the rows the runs update).
 */
export async function pairs(n: number, baseline: () => Promise<Measured>, subject: () => Promise<Measured>, between?: () => Promise<void>): Promise<Pairs> {
  const b: Measured[] = [];
  const s: Measured[] = [];
  for (let i = 0; i < n; i++) {
    await between?.();
    if (i % 2 === 0) {
      b.push(await baseline());
      s.push(await subject());
    } else {
      s.push(await subject());
      b.push(await baseline());
    }
  }
  return { baseline: b, subject: s, ratio: stats(s.map((m, i) => m.rps / Math.max(1, b[i]!.rps))) };
}

/** Median figures of a set of runs. */
export function medians(runs: readonly Measured[]): { rps: number; p50: number; p99: number; serverCpuMs: number; pgCpuMs: number; ok: number; errors: number } {
  const m = (f: (r: Measured) => number) => stats(runs.map(f)).median;
  return {
    rps: Math.round(m((r) => r.rps)), p50: m((r) => r.p50), p99: m((r) => r.p99), serverCpuMs: m((r) => r.serverCpuMs), pgCpuMs: m((r) => r.pgCpuMs),
    ok: runs.reduce((t, r) => t + r.ok, 0), errors: runs.reduce((t, r) => t + r.errors, 0),
  };
}
