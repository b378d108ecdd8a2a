/*
 * The memory host's item reports (contract 1.1): each enrolled learner with the host's own columns
 * (name, progress, outcome) plus every contributor's columns, values asked a page of at most 1,000
 * users at a time, and the contributed filters intersected with the host's rows. Learning steps are
 * staged on the caller's transaction and raise their learning.* event after it commits.
 */
import type { ClockPort, KnowledgeRef, ReportContributor, ReportsPort, Tx } from '../../../src/contract/index.js';
import type { BuiltReport, LearningStep, ReportingControls } from '../../kit/types.js';
import type { MemoryEvents } from './ports.js';
import { enrolmentKey, type MemoryStore } from './store.js';

const PAGE = 1000;

export function memoryReports(store: MemoryStore, events: MemoryEvents, clock: ClockPort): { port: ReportsPort; controls: ReportingControls } {
  const contributors = new Set<ReportContributor>();
  const port: ReportsPort = {
    contribute(contributor) {
      const own = { contributor };
      contributors.add(own.contributor);
      return () => void contributors.delete(own.contributor);
    },
  };

  async function buildItemReport(item: KnowledgeRef, chosen: Readonly<Record<string, string>> = {}): Promise<BuiltReport> {
    let userIds = store.allUsers().filter((u) => store.isEnrolled(enrolmentKey(u.id, item))).map((u) => u.id);
    const columns = [{ id: 'name', label: 'Name' }, { id: 'progress', label: 'Progress' }, { id: 'outcome', label: 'Outcome' }];
    const mine = [...contributors];
    for (const c of mine) {
      columns.push(...(await c.describe(item)).columns);
      const kept = await c.usersMatching(item, chosen);
      if (kept) userIds = userIds.filter((id) => kept.includes(id));
    }
    const values = new Map<string, Record<string, string | null>>();
    for (const id of userIds) {
      const user = store.user(id)!;
      const learning = store.learningOf(enrolmentKey(id, item));
      values.set(id, { name: `${user.firstName} ${user.lastName}`, progress: learning ? `${learning.percent}%` : null, outcome: learning?.outcome ?? null });
    }
    for (let at = 0; at < userIds.length; at += PAGE) {
      const page = userIds.slice(at, at + PAGE);
      for (const c of mine) {
        const got = await c.values(item, page);
        for (const id of page) Object.assign(values.get(id)!, got.get(id) ?? {});
      }
    }
    return { columns, rows: userIds.map((userId) => ({ userId, values: values.get(userId)! })) };
  }

  async function recordLearning(userId: string, item: KnowledgeRef, step: LearningStep, tx?: Tx): Promise<void> {
    const key = enrolmentKey(userId, item);
    const record = { ...(store.learningOf(key, tx) ?? { userId, item, percent: 0, outcome: null, score: null }) };
    const at = clock.now().toISOString();
    const ref = { type: item.type, id: item.id };
    if (step.kind === 'started') events.raise('learning.started', { userId, item: ref, at }, tx);
    if (step.kind === 'progressed') {
      record.percent = step.percent;
      events.raise('learning.progressed', { userId, item: ref, percent: step.percent, at }, tx);
    }
    if (step.kind === 'completed') {
      Object.assign(record, { percent: 100, outcome: step.outcome, score: step.score });
      events.raise('learning.completed', { userId, item: ref, outcome: step.outcome, score: step.score, at }, tx);
    }
    store.saveLearning(key, record, tx);
  }

  return { port, controls: { buildItemReport, recordLearning } };
}
