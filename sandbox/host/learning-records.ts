/*
 * A learner's record in one item, measured from what they did: an item's progress counts its lessons
 * and its quiz (one step once every question is answered); it is complete when every step is done,
 * with the outcome `passed`/`failed` against the quiz's pass mark, or `completed` without a quiz.
 * A pathway's record follows its topics: the mean of their percents, complete once every topic is,
 * `failed` if any topic failed, else `passed` if any passed, else `completed`; its score is the mean
 * of its topics' scores.
 */
import type { Knex } from 'knex';
import type { KnowledgeRef } from '../../src/contract/index.js';

export type Outcome = 'passed' | 'failed' | 'completed';

export interface LearningState {
  percent: number;
  completed: boolean;
  outcome: Outcome | null;
  score: number | null;
}

export interface LearningRow {
  user_id: number;
  item_type: string;
  item_id: string;
  started_at: Date;
  percent: number;
  completed_at: Date | null;
  outcome: Outcome | null;
  score: number | null;
  updated_at: Date;
}

/** What changed in a record, for the events to raise. */
export interface RecordChange {
  started: boolean;
  progressed: boolean;
  completed: boolean;
  state: LearningState;
}

const num = (v: unknown): number => Number(v ?? 0);

export async function findRecord(db: Knex, userId: number, ref: KnowledgeRef): Promise<LearningRow | null> {
  return (await db<LearningRow>('sandbox_learning').where({ user_id: userId, item_type: ref.type, item_id: ref.id }).first()) ?? null;
}

/** Starts the record if there is none yet; true when it was started now. */
export async function startRecord(db: Knex, userId: number, ref: KnowledgeRef, at: Date): Promise<boolean> {
  const rows = await db('sandbox_learning')
    .insert({ user_id: userId, item_type: ref.type, item_id: ref.id, started_at: at, percent: 0, updated_at: at })
    .onConflict(['user_id', 'item_type', 'item_id'])
    .ignore()
    .returning('user_id');
  return rows.length > 0;
}

/** Steps of a topic or article: null when it has none (it is completed by hand). */
export async function measureItem(db: Knex, userId: number, itemId: number): Promise<LearningState | null> {
  const lessons = await db.raw(
    `select count(l.id)::int as total, count(p.lesson_id)::int as done
       from sandbox_lessons l left join sandbox_lesson_progress p on p.lesson_id = l.id and p.user_id = ?
      where l.item_id = ?`,
    [userId, itemId],
  );
  const { total, done } = (lessons.rows as { total: number; done: number }[])[0]!;
  const quizRow = await db('sandbox_quizzes').where({ item_id: itemId }).first('pass_mark');
  const quiz = await db.raw(
    `select count(q.id)::int as questions, count(a.question_id)::int as answered, count(a.question_id) filter (where a.correct)::int as correct
       from sandbox_quiz_questions q left join sandbox_quiz_answers a on a.question_id = q.id and a.user_id = ?
      where q.item_id = ?`,
    [userId, itemId],
  );
  const { questions, answered, correct } = (quiz.rows as { questions: number; answered: number; correct: number }[])[0]!;
  const scored = !!quizRow && num(questions) > 0;
  const steps = num(total) + (scored ? 1 : 0);
  if (steps === 0) return null;
  const quizDone = scored && num(answered) === num(questions);
  const stepsDone = num(done) + (quizDone ? 1 : 0);
  const score = quizDone ? Math.round((100 * num(correct)) / num(questions)) : null;
  const completed = stepsDone === steps;
  const outcome: Outcome | null = !completed ? null : scored ? (score! >= Number(quizRow.pass_mark) ? 'passed' : 'failed') : 'completed';
  return { percent: Math.round((100 * stepsDone) / steps), completed, outcome, score };
}

export async function measurePathway(db: Knex, userId: number, pathwayId: number): Promise<LearningState> {
  const rows = (await db('sandbox_pathway_topics as pt')
    .leftJoin('sandbox_learning as l', function joinRecords() {
      this.on('l.item_id', '=', db.raw('pt.topic_id::text')).andOn('l.item_type', '=', db.raw("'topic'")).andOn('l.user_id', '=', db.raw('?', [userId]));
    })
    .where('pt.pathway_id', pathwayId)
    .select('l.percent', 'l.completed_at', 'l.outcome', 'l.score')) as Pick<LearningRow, 'percent' | 'completed_at' | 'outcome' | 'score'>[];
  if (rows.length === 0) return { percent: 0, completed: false, outcome: null, score: null };
  const percent = Math.round(rows.reduce((sum, r) => sum + num(r.percent), 0) / rows.length);
  const completed = rows.every((r) => r.completed_at !== null && r.completed_at !== undefined);
  const scores = rows.map((r) => r.score).filter((s): s is number => s !== null && s !== undefined);
  const outcome: Outcome | null = !completed ? null
    : rows.some((r) => r.outcome === 'failed') ? 'failed'
    : rows.some((r) => r.outcome === 'passed') ? 'passed' : 'completed';
  const score = completed && scores.length > 0 ? Math.round(scores.reduce((a, b) => a + b, 0) / scores.length) : null;
  return { percent: completed ? 100 : Math.min(percent, 99), completed, outcome, score };
}

/** Writes the measured state into the (started) record and says what changed. */
export async function applyState(db: Knex, userId: number, ref: KnowledgeRef, state: LearningState, at: Date): Promise<Omit<RecordChange, 'started'>> {
  const before = await findRecord(db, userId, ref);
  if (!before) throw new Error('A learning record must be started before it is measured');
  const wasCompleted = before.completed_at !== null;
  const progressed = before.percent !== state.percent;
  const completed = state.completed && (!wasCompleted || before.outcome !== state.outcome || before.score !== state.score);
  if (progressed || completed || (wasCompleted && !state.completed)) {
    await db('sandbox_learning').where({ user_id: userId, item_type: ref.type, item_id: ref.id }).update({
      percent: state.percent,
      completed_at: state.completed ? (completed ? at : before.completed_at) : null,
      outcome: state.outcome,
      score: state.score,
      updated_at: at,
    });
  }
  return { progressed, completed, state };
}

/** The pathways holding a topic that the learner is enrolled in. */
export async function enrolledPathwaysOf(db: Knex, userId: number, topicId: number): Promise<number[]> {
  const rows = await db('sandbox_pathway_topics as pt')
    .join('sandbox_enrolments as e', function joinEnrolments() {
      this.on('e.item_id', '=', db.raw('pt.pathway_id::text')).andOn('e.item_type', '=', db.raw("'pathway'"));
    })
    .where({ 'pt.topic_id': topicId, 'e.user_id': userId })
    .select('pt.pathway_id');
  return (rows as { pathway_id: number }[]).map((r) => r.pathway_id);
}
