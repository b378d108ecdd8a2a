/*
 * `npm run bench`: every benchmark of the project in one run, each measured against a baseline
 * measured in the same run on the same machine, so the printed ratios mean something anywhere.
 * The run ends with ONE line of JSON holding every figure printed (keys from each benchmark).
 *
 * Benchmarks use PostgreSQL from DATABASE_URL (each creates and drops its own database).
 */
import type { Bench } from './support.js';
import { outboxBench } from './outbox.bench.js';
import { registrationBench } from './registration.bench.js';
import { importBench } from './import.bench.js';
import { reportsBench } from './reports.bench.js';
import { rulesBench } from './rules.bench.js';
import { webhooksBench } from './webhooks.bench.js';

const benches: Bench[] = [
  // Each benchmark module exports a Bench; add it here.
  outboxBench,
  registrationBench,
  importBench,
  reportsBench,
  rulesBench,
  webhooksBench,
];
/** BENCH_ONLY=<words>[,<words>…]: only the benchmarks whose name contains one of them, case aside (e.g. BENCH_ONLY=webhooks). */
const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
const chosen = only.length === 0 ? benches : benches.filter((b) => only.some((o) => b.name.toLowerCase().includes(o)));

const figures: Record<string, number | string | boolean> = {};
if (!process.env.DATABASE_URL) {
  console.error('npm run bench needs PostgreSQL: set DATABASE_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres');
  process.exit(2);
}
for (const bench of chosen) {
  console.log(`\n== ${bench.name} ==`);
  Object.assign(figures, await bench.run({ databaseUrl: process.env.DATABASE_URL, log: (line) => console.log(line) }));
}
console.log(JSON.stringify(figures));
