#!/usr/bin/env node
/*
 * Fails when a source file is over the line limit: every file in src/, sandbox/, test/, bench/, conformance/ and hosts/
 * (TypeScript, JavaScript and EJS). Prints each offender with its length.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const LIMIT = 300;
const ROOTS = ['src', 'sandbox', 'test', 'bench', 'conformance', 'hosts'];
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs|ejs)$/;
const SKIP = new Set(['node_modules', 'test-artifacts', '.data']);

function* files(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (SKIP.has(name)) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* files(full);
    else if (SOURCE.test(name)) yield full;
  }
}

const offenders = [];
for (const root of ROOTS) {
  for (const file of files(root)) {
    const text = readFileSync(file, 'utf8');
    const lines = text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    if (lines > LIMIT) offenders.push({ file, lines });
  }
}

if (offenders.length > 0) {
  offenders.sort((a, b) => b.lines - a.lines);
  console.error(`Files over ${LIMIT} lines (split them by role):`);
  for (const { file, lines } of offenders) console.error(`  ${file}: ${lines} lines`);
  process.exit(1);
}
console.log(`No source file is over ${LIMIT} lines.`);
