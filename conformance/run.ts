/*
 * The kit's one command. `npm run conformance` runs it against every host of this repository
 * (conformance/hosts.json); a host team runs it against its own factory module:
 *
 *   node --import tsx conformance/run.ts path/to/my-host.ts [--expectations my-host.expectations.json]
 *        [--json report.json] [--junit report.xml] [--only core.seats]
 *
 * The module exports `createHost(env)` (conformance/kit/types.ts). With DATABASE_URL the host gets a
 * fresh PostgreSQL database, else an in-memory PGlite. Exit code 0 only when every host passes.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readExpectations } from './kit/expectations.js';
import { consoleLine, consoleSummary, junit } from './kit/report.js';
import { runKit, type KitReport } from './kit/runner.js';
import type { HostFactory } from './kit/types.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface HostEntry { name: string; module: string; expectations?: string }

function parseArgs(argv: string[]): { modules: string[]; expectations?: string; json?: string; junit?: string; only?: string } {
  const out: ReturnType<typeof parseArgs> = { modules: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--expectations') out.expectations = value();
    else if (arg === '--json') out.json = value();
    else if (arg === '--junit') out.junit = value();
    else if (arg === '--only') out.only = value();
    else if (arg.startsWith('--')) throw new Error(`Unknown option ${arg}`);
    else out.modules.push(arg);
  }
  return out;
}

async function factoryOf(modulePath: string): Promise<HostFactory> {
  const mod = (await import(pathToFileURL(path.resolve(modulePath)).href)) as { createHost?: HostFactory };
  if (typeof mod.createHost !== 'function') throw new Error(`${modulePath} does not export createHost(env)`);
  return mod.createHost;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const entries: HostEntry[] = args.modules.length > 0
    ? args.modules.map((m) => ({ name: path.basename(m), module: m, ...(args.expectations && { expectations: args.expectations }) }))
    : (JSON.parse(readFileSync(path.join(ROOT, 'conformance/hosts.json'), 'utf8')) as { hosts: HostEntry[] }).hosts.map((h) => ({
      ...h, module: path.join(ROOT, h.module), ...(h.expectations && { expectations: path.join(ROOT, h.expectations) }),
    }));
  const reports: KitReport[] = [];
  for (const entry of entries) {
    console.log(`\n== ${entry.name} (${entry.module}) on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'} ==`);
    const report = await runKit(await factoryOf(entry.module), {
      expectations: readExpectations(entry.expectations),
      ...(args.only && { only: (id: string) => id.startsWith(args.only!) }),
      onResult: (r, host) => console.log(consoleLine(host, r)),
    });
    console.log(consoleSummary(report));
    reports.push(report);
  }
  const db = process.env.DATABASE_URL ? 'postgresql' : 'pglite';
  const jsonPath = args.json ?? path.join(ROOT, `test-artifacts/conformance/report-${db}.json`);
  const junitPath = args.junit ?? path.join(ROOT, `test-artifacts/conformance/junit-${db}.xml`);
  for (const file of [jsonPath, junitPath]) mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify({ reports }, null, 2)}\n`);
  writeFileSync(junitPath, junit(reports));
  const ok = reports.every((r) => r.summary.ok);
  console.log(`\nconformance: ${reports.map((r) => `${r.host} ${r.summary.ok ? 'passed' : 'FAILED'}`).join(', ')}\nreports: ${path.relative(process.cwd(), jsonPath)}, ${path.relative(process.cwd(), junitPath)}`);
  return ok ? 0 : 1;
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error);
  process.exit(2);
});
