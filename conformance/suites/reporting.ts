/*
 * Reporting (contract 1.1, optional): the host calls the plugin's ReportContributor while building
 * every item report (columns, values per page of rows, filters intersected with its own), contribute()
 * returns the way to take it off, and the learning events are raised after commit, never on rollback.
 */
import type { KnowledgeRef, ReportContributor } from '../../src/contract/index.js';
import { inRolledBack } from '../kit/context.js';
import type { KitContext } from '../kit/context.js';
import { check, checkEqual, suite } from '../kit/define.js';
import type { ReportingControls } from '../kit/types.js';
import { versionAtLeast } from '../kit/profiles.js';
import { listen } from './events.js';

function controls(ctx: KitContext): ReportingControls {
  const reporting = ctx.hut.reporting;
  check(ctx.host.reports && typeof ctx.host.reports.contribute === 'function', 'the host offers reports.contribute');
  check(reporting, 'the host’s factory gives the reporting controls (buildItemReport, recordLearning)');
  return reporting;
}

/** An item with two enrolled learners. */
async function reportable(ctx: KitContext): Promise<{ item: KnowledgeRef; a: string; b: string }> {
  const item = (await ctx.hut.makeItem({ type: 'topic', origin: 'own' })).ref;
  const a = (await ctx.hut.makeUser({ type: 'prospect' })).id;
  const b = (await ctx.hut.makeUser({ type: 'client' })).id;
  for (const id of [a, b]) await ctx.host.enrolments.enrol(id, item);
  return { item, a, b };
}

/** A contributor with one column (`kitSource`) and one filter (`kitOnly`: keeps `keep`). */
function contributor(values: Record<string, string>, keep: string[], calls: { values: number[] }): ReportContributor {
  return {
    async describe() {
      return { columns: [{ id: 'kitSource', label: 'Kit source' }], filters: [{ id: 'kitOnly', label: 'Kit filter', options: [{ value: 'yes', label: 'Kept' }] }] };
    },
    async values(_item, userIds) {
      calls.values.push(userIds.length);
      return new Map(userIds.map((id) => [id, { kitSource: values[id] ?? null }]));
    },
    async usersMatching(_item, chosen) {
      return chosen.kitOnly ? keep : null;
    },
  };
}

export const reportingSuite = suite('reporting', 'reports', {
  'declares-1-1': ['a host offering reports declares contract 1.1.0 or later', async (ctx) => {
    controls(ctx);
    check(versionAtLeast(ctx.host.apiVersion, '1.1.0'), `apiVersion is at least 1.1.0, got ${ctx.host.apiVersion}`);
  }],
  'contribute-returns-off': ['reports.contribute returns a function that takes the contribution off again', async (ctx) => {
    const report = controls(ctx);
    const { item, a } = await reportable(ctx);
    const off = ctx.host.reports!.contribute(contributor({ [a]: 'Token “Spring”' }, [], { values: [] }));
    check(typeof off === 'function', 'contribute() returns a function');
    check((await report.buildItemReport(item)).columns.some((c) => c.id === 'kitSource'), 'the contributed column is in the report');
    off();
    off();
    check(!(await report.buildItemReport(item)).columns.some((c) => c.id === 'kitSource'), 'after taking it off the column is gone');
  }],
  'columns-and-values': ['every item report shows the contributed columns with the values given per user, in pages of at most 1,000', async (ctx) => {
    const report = controls(ctx);
    const { item, a, b } = await reportable(ctx);
    const calls = { values: [] as number[] };
    ctx.defer(ctx.host.reports!.contribute(contributor({ [a]: 'Token “Spring”' }, [], calls)));
    const built = await report.buildItemReport(item);
    check(built.columns.some((c) => c.id === 'kitSource' && c.label === 'Kit source'), 'the column under its label');
    const row = (id: string) => built.rows.find((r) => r.userId === id);
    checkEqual(row(a)?.values.kitSource, 'Token “Spring”', 'the value for the registered learner');
    checkEqual(row(b)?.values.kitSource ?? null, null, 'no value for the other learner');
    check(calls.values.length > 0 && calls.values.every((n) => n <= 1000), `values() asked for at most 1,000 users a call, got ${JSON.stringify(calls.values)}`);
  }],
  'filters-intersect': ['a chosen contributed filter keeps only the users it matches; none chosen keeps everyone', async (ctx) => {
    const report = controls(ctx);
    const { item, a, b } = await reportable(ctx);
    ctx.defer(ctx.host.reports!.contribute(contributor({}, [a], { values: [] })));
    const all = (await report.buildItemReport(item)).rows.map((r) => r.userId);
    check(all.includes(a) && all.includes(b), 'without a chosen filter both learners are in the report');
    const filtered = await report.buildItemReport(item, { kitOnly: 'yes' });
    check(filtered.columns.some((c) => c.id === 'kitSource'), 'the filtered report still takes the contribution');
    checkEqual(filtered.rows.map((r) => r.userId), [a], 'with the filter chosen');
  }],
});

export const learningSuite = suite('reporting', 'learning', {
  'after-commit': ['learning.started, progressed and completed are raised after the commit (and again for a retaken quiz, without a transaction), with the person, item and an ISO time', async (ctx) => {
    const report = controls(ctx);
    const { item, a, b } = await reportable(ctx);
    const started = listen(ctx, 'learning.started', (p) => p.userId === a);
    const progressed = listen(ctx, 'learning.progressed', (p) => p.userId === a);
    const completed = listen(ctx, 'learning.completed', (p) => p.userId === a);
    const otherProgress = listen(ctx, 'learning.progressed', (p) => p.userId === b);
    const percents = () => progressed.map((p) => p.percent);
    let openWhenSeen = 0;
    await ctx.knex.transaction(async (trx) => {
      await report.recordLearning(a, item, { kind: 'started' }, trx);
      await report.recordLearning(a, item, { kind: 'progressed', percent: 50 }, trx);
      await report.recordLearning(a, item, { kind: 'completed', outcome: 'passed', score: 90 }, trx);
      await ctx.settle();
      openWhenSeen = started.length + progressed.length + completed.length;
    });
    checkEqual(openWhenSeen, 0, 'learning events while the transaction is open');
    await ctx.waitFor(() => started.length === 1 && completed.length === 1 && percents().includes(50), 'learning.started, learning.progressed to 50 % and learning.completed after the commit');
    // Without a transaction: the learner retakes the quiz and fails it; another learner makes progress.
    await report.recordLearning(a, item, { kind: 'completed', outcome: 'failed', score: 20 });
    await report.recordLearning(b, item, { kind: 'progressed', percent: 75 });
    await ctx.waitFor(() => completed.length === 2 && otherProgress.some((p) => p.percent === 75), 'learning.completed again and learning.progressed recorded without a transaction');
    await ctx.settle();
    checkEqual(started.map((p) => p.item), [item], 'learning.started payloads (once per learner and item)');
    // A host raises learning.progressed whenever the percent changes: steps between (and 100 % on completion) may be raised too.
    check(percents().every((n, i) => Number.isInteger(n) && n >= 0 && n <= 100 && (i === 0 || n > percents()[i - 1]!)), `learning.progressed percents rise within 0–100, got ${JSON.stringify(percents())}`);
    check(progressed.every((p) => JSON.stringify(p.item) === JSON.stringify(item)), 'learning.progressed names the item');
    checkEqual(completed.map((p) => [p.outcome, p.score, p.item]), [['passed', 90, item], ['failed', 20, item]], 'learning.completed payloads');
    checkEqual(otherProgress.at(-1)?.percent, 75, 'the other learner’s last learning.progressed');
    for (const p of [...started, ...progressed, ...completed, ...otherProgress]) check(!Number.isNaN(Date.parse(p.at)) && p.at.includes('T'), `at is an ISO 8601 instant, got ${p.at}`);
  }],
  'not-on-rollback': ['learning recorded in a transaction that rolls back raises no event', async (ctx) => {
    const report = controls(ctx);
    const { item, b } = await reportable(ctx);
    const started = listen(ctx, 'learning.started', (p) => p.userId === b);
    const progressed = listen(ctx, 'learning.progressed', (p) => p.userId === b);
    const completed = listen(ctx, 'learning.completed', (p) => p.userId === b);
    await inRolledBack(ctx.knex, async (trx) => {
      await report.recordLearning(b, item, { kind: 'started' }, trx);
      await report.recordLearning(b, item, { kind: 'progressed', percent: 50 }, trx);
      await report.recordLearning(b, item, { kind: 'completed', outcome: 'passed', score: 80 }, trx);
    });
    await ctx.settle(10);
    checkEqual(started.length + progressed.length + completed.length, 0, 'learning events after a rollback');
  }],
  'signed-in-event': ['user.signed_in is raised when a person signs in through the host', async (ctx) => {
    controls(ctx);
    const user = await ctx.person({ type: 'client' });
    const seen = listen(ctx, 'user.signed_in', (p) => p.userId === user.id);
    await ctx.signedIn(user);
    await ctx.waitFor(() => seen.length === 1, 'user.signed_in after sign-in');
    check(!Number.isNaN(Date.parse(seen[0]!.at)), 'at is an ISO 8601 instant');
  }],
});
