/*
 * The `reporting` controls for the sandbox, written against its own code: an item's report is the
 * Reports tab's "progress" report, prepared by sandbox/reports/report.ts exactly as the tab prepares it
 * (every page of it read as the screen reads one), and a learning step is what a learner does on the
 * item's page — open it, mark lessons done, send its quiz — through the sandbox's learning records,
 * which measure the record and raise the learning events themselves.
 *
 * A kit item gets the sandbox's own kind of content the first time a step is recorded in it: three
 * lessons and a ten-question quiz with a pass mark of 50 (four steps: 25, 50, 75, 100 %; scores in
 * tens). A step the sandbox's measuring cannot reach from where the learner is (a percent between
 * steps, a lower percent, an outcome that disagrees with the pass mark) is refused, naming why.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { KnowledgeRef, ReportContributor, ReportsPort, Tx } from '../../src/contract/index.js';
import type { SandboxLearning } from '../../sandbox/host/learning.js';
import { addContent } from '../../sandbox/host/item-content.js';
import { findRecord } from '../../sandbox/host/learning-records.js';
import { parseId } from '../../sandbox/host/records.js';
import { PAGE_SIZE, prepareReport } from '../../sandbox/reports/report.js';
import { loadItem } from '../../sandbox/web/item-access.js';
import type { BuiltReport, LearningStep, ReportingControls } from '../kit/types.js';

const PASS_MARK = 50;
const QUESTIONS = 10;
const LESSONS = 3;

/**
 * The contributors the sandbox's reports port accepted, in its order. The Sandbox object does not
 * hand out its contributor list, so the factory keeps the same list beside it: every call goes to the
 * sandbox's port first and is only mirrored once the port took it.
 */
export function mirrorContributors(port: ReportsPort): { port: ReportsPort; all: () => readonly ReportContributor[] } {
  const list: ReportContributor[] = [];
  return {
    port: {
      contribute(contributor) {
        const off = port.contribute(contributor);
        list.push(contributor);
        return () => {
          off();
          const at = list.indexOf(contributor);
          if (at >= 0) list.splice(at, 1);
        };
      },
    },
    all: () => [...list],
  };
}

const CONTRIBUTED_KEY = /^p\d+\.(.+)$/;
const text = (cell: unknown): string | null => (cell === null || cell === undefined ? null : cell instanceof Date ? cell.toISOString() : String(cell));

export function sandboxReporting(knex: Knex, learning: SandboxLearning, contributors: () => readonly ReportContributor[], log: Logger): ReportingControls {
  async function buildItemReport(item: KnowledgeRef, chosen: Readonly<Record<string, string>> = {}): Promise<BuiltReport> {
    const row = await loadItem(knex, item.type, item.id);
    if (!row) throw new Error(`The sandbox has no ${item.type} ${item.id}`);
    const report = await prepareReport({ knex, contributors: contributors(), log }, 'progress', row, chosen);
    // The sandbox keys a contributed column `p<contributor>.<id>`; the kit asks for the contributed id.
    const columns = report.columns.map((c) => ({ id: CONTRIBUTED_KEY.exec(c.key)?.[1] ?? c.key, label: c.label }));
    const cells: unknown[][] = [];
    const total = await report.count();
    for (let offset = 0; offset < total; offset += PAGE_SIZE) cells.push(...(await report.rows(offset, PAGE_SIZE)));
    // The report names each learner by email (unique in sandbox_users): that is how the kit knows the row.
    const email = report.columns.findIndex((c) => c.key === 'email');
    const ids = new Map(((await knex('sandbox_users').whereIn('email', cells.map((r) => String(r[email]))).select('id', 'email')) as { id: number; email: string }[])
      .map((u) => [u.email, String(u.id)]));
    return {
      columns,
      rows: cells.map((r) => ({ userId: ids.get(String(r[email]))!, values: Object.fromEntries(columns.map((c, i) => [c.id, text(r[i])])) })),
    };
  }

  async function ensureContent(db: Knex, itemId: number): Promise<void> {
    if (await db('sandbox_lessons').where({ item_id: itemId }).first('id')) return;
    if (await db('sandbox_quizzes').where({ item_id: itemId }).first('item_id')) return;
    await addContent(db, itemId, {
      lessons: Array.from({ length: LESSONS }, (_, i) => ({ title: `Kit lesson ${i + 1}`, body: 'Read this.' })),
      quiz: { passMark: PASS_MARK, questions: Array.from({ length: QUESTIONS }, (_, i) => ({ prompt: `Kit question ${i + 1}`, options: ['right', 'wrong'], correct: 0 })) },
    });
  }

  async function undoneLessons(db: Knex, user: number, itemId: number): Promise<string[]> {
    const rows = (await db('sandbox_lessons as l')
      .leftJoin('sandbox_lesson_progress as p', function done() {
        this.on('p.lesson_id', '=', 'l.id').andOn('p.user_id', '=', db.raw('?', [user]));
      })
      .where('l.item_id', itemId).whereNull('p.lesson_id').orderBy('l.position').select('l.id')) as { id: number }[];
    return rows.map((r) => String(r.id));
  }

  async function recordLearning(userId: string, item: KnowledgeRef, step: LearningStep, tx?: Tx): Promise<void> {
    const db = (tx as Knex.Transaction | undefined) ?? knex;
    const user = parseId(userId);
    const itemId = parseId(item.id);
    if (user === null || itemId === null) throw new Error(`The sandbox knows no learner ${userId} in ${item.type} ${item.id}`);
    await ensureContent(db, itemId);
    const refused = (why: string) => new Error(`The sandbox cannot record ${JSON.stringify(step)}: ${why}`);
    if (step.kind === 'started') {
      if (!(await learning.open(userId, item, tx))) throw refused('the learner may not learn in the item');
      return;
    }
    if (step.kind === 'progressed') {
      // One lesson at a time, as the learner does, until the measured percent is the one asked for.
      for (const lesson of await undoneLessons(db, user, itemId)) {
        const percent = (await findRecord(db, user, item))?.percent ?? 0;
        if (percent >= step.percent) break;
        if (!(await learning.markLessonDone(userId, item, lesson, tx))) throw refused('the lesson was refused');
      }
      const now = (await findRecord(db, user, item))?.percent ?? 0;
      if (now !== step.percent) throw refused(`its lessons move the record in steps of ${100 / (LESSONS + 1)} %, it is at ${now} %`);
      return;
    }
    const correct = step.score === null ? -1 : (step.score * QUESTIONS) / 100;
    if (step.outcome === 'completed' || !Number.isInteger(correct) || (step.score! >= PASS_MARK) !== (step.outcome === 'passed')) {
      throw refused(`its quiz scores in tens against a pass mark of ${PASS_MARK}`);
    }
    for (const lesson of await undoneLessons(db, user, itemId)) await learning.markLessonDone(userId, item, lesson, tx);
    const questions = (await db('sandbox_quiz_questions').where({ item_id: itemId }).orderBy('position').select('id')) as { id: number }[];
    const choices = new Map(questions.map((q, i) => [String(q.id), i < correct ? 0 : 1]));
    if ((await learning.submitQuiz(userId, item, choices, tx)) !== 'saved') throw refused('the quiz was refused');
  }

  return { buildItemReport, recordLearning };
}
