/*
 * The run's report in three forms: a console listing naming the host and each test by id, the JSON
 * report as it is (KitReport), and JUnit XML (one testsuite per host and database, a testcase per
 * test id) that CI servers read. An expected failure is a passing testcase that says so; an
 * unexpected pass is a failure.
 */
import type { KitReport, TestResult } from './runner.js';

const MARK: Record<TestResult['status'], string> = {
  passed: 'ok  ', failed: 'FAIL', 'expected-failure': 'xfail', 'unexpected-pass': 'XPASS',
};

export function consoleLine(host: string, r: TestResult): string {
  const head = `  ${MARK[r.status].padEnd(5)} [${host}] ${r.id}  ${r.title}`;
  if (r.status === 'failed') return `${head}\n          ${r.error}`;
  if (r.status === 'expected-failure') return `${head}\n          expected: ${r.expected}`;
  if (r.status === 'unexpected-pass') return `${head}\n          passes, but the expectations file says it fails (${r.expected}): remove the entry`;
  return head;
}

export function consoleSummary(report: KitReport): string {
  const s = report.summary;
  const lines = [
    `${s.ok ? 'PASS' : 'FAIL'} ${report.host} on ${report.database}: ${s.passed} passed, ${s.failed} failed, ${s.expectedFailures} expected failures, ${s.unexpectedPasses} unexpected passes (${(report.durationMs / 1000).toFixed(1)} s)`,
    `  profiles: ${report.profiles.map((p) => `${p.id} ${p.declared ? 'declared' : 'not declared'}`).join(', ')}`,
  ];
  for (const p of report.profiles.filter((x) => !x.declared && x.features.length > 0)) {
    lines.push(`  off without ${p.id}: ${p.features.map((f) => `${f.description} (${f.id})`).join(', ')}`);
  }
  const notOffered = report.optionalParts.filter((p) => !p.offered);
  if (notOffered.length > 0) lines.push(`  optional methods not offered (their tests not run): ${notOffered.map((p) => `${p.part} (${p.testsLeftOut})`).join(', ')}`);
  for (const problem of report.problems) lines.push(`  problem: ${problem}`);
  return lines.join('\n');
}

const xml = (s: string): string => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
  // eslint-disable-next-line no-control-regex
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function junit(reports: readonly KitReport[]): string {
  const suites = reports.map((report) => {
    const failures = report.summary.failed + report.summary.unexpectedPasses;
    const cases = report.results.map((r) => {
      const attrs = `classname="conformance.${xml(report.host)}.${r.profile}" name="${xml(r.id)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
      const body = [
        `<properties><property name="status" value="${r.status}"/><property name="title" value="${xml(r.title)}"/></properties>`,
        r.status === 'failed' ? `<failure message="${xml(r.error ?? 'failed')}"/>` : '',
        r.status === 'unexpected-pass' ? `<failure message="unexpected pass: the expectations file says this fails (${xml(r.expected ?? '')})"/>` : '',
        r.status === 'expected-failure' ? `<system-out>${xml(`expected failure (${r.expected}): ${r.error}`)}</system-out>` : '',
      ].join('');
      return `    <testcase ${attrs}>${body}</testcase>`;
    });
    for (const t of report.leftOut) {
      cases.push(`    <testcase classname="conformance.${xml(report.host)}.${t.profile}" name="${xml(t.id)}" time="0"><skipped message="${xml(`the host does not offer ${t.missing.join(', ')}`)}"/></testcase>`);
    }
    for (const problem of report.problems) cases.push(`    <testcase classname="conformance.${xml(report.host)}" name="run"><failure message="${xml(problem)}"/></testcase>`);
    const name = `${report.host} (${report.database})`;
    return [
      `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failures + report.problems.length}" errors="0" skipped="${report.leftOut.length}" time="${(report.durationMs / 1000).toFixed(3)}" timestamp="${report.startedAt}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="self-registration host conformance">\n${suites.join('\n')}\n</testsuites>\n`;
}
