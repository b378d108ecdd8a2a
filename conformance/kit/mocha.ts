/*
 * The kit inside mocha (`npm test`): one describe per host and database; the kit runs once in the
 * suite's before() and every test id becomes a mocha test of its own, failing as the kit decided
 * (a failure, or an unexpected pass of an expected failure).
 */
import Mocha from 'mocha';
import { readExpectations } from './expectations.js';
import { runKit, type KitReport } from './runner.js';
import type { HostFactory } from './types.js';

export interface MochaHost {
  readonly name: string;
  readonly factory: () => Promise<HostFactory>;
  /** Path of the host's expectations file. */
  readonly expectations?: string;
}

export function describeHost(entry: MochaHost): void {
  const database = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
  describe(`host conformance: ${entry.name} on ${database}`, function () {
    this.timeout(180_000);
    let report: KitReport | null = null;

    before(async function () {
      const suite = this.test!.parent!;
      report = await runKit(await entry.factory(), { expectations: readExpectations(entry.expectations) });
      for (const r of report.results) {
        const note = r.status === 'expected-failure' ? ` (expected failure: ${r.expected})` : '';
        suite.addTest(new Mocha.Test(`${r.id}: ${r.title}${note}`, () => {
          if (r.status === 'failed') throw new Error(r.error);
          if (r.status === 'unexpected-pass') throw new Error(`passes, but ${entry.expectations} lists it as failing (${r.expected}): remove the entry`);
        }));
      }
    });

    it('runs the kit to the end', () => {
      if (!report) throw new Error('the kit did not run');
      if (report.problems.length > 0) throw new Error(report.problems.join('\n'));
      if (report.results.length === 0) throw new Error('no conformance test ran');
    });
  });
}
