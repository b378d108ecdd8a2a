/*
 * Learning in the sandbox: a learner opens an item, marks its lessons done and answers its quiz;
 * every sign-in is recorded. Each change runs in a transaction (the caller's when given) and raises
 * the contract's learning events (`learning.started`, `learning.progressed`, `learning.completed`,
 * `user.signed_in`) only once it has committed. A topic's change also moves the record of every
 * pathway holding it that the learner is enrolled in.
 */
import type { Knex } from 'knex';
import type { HostEventName, HostEventPayloads, KnowledgeRef, Tx } from '../../src/contract/index.js';
import type { HostContext } from './host-context.js';
import { optionsOf } from './item-content.js';
import { applyState, enrolledPathwaysOf, findRecord, measureItem, measurePathway, startRecord } from './learning-records.js';
import { getItem } from './lookups.js';
import { parseId } from './records.js';
import type { ItemRow } from './records.js';

export type SignInMethod = 'password' | 'link';
export type QuizResult = 'saved' | 'incomplete' | 'refused';

export interface SandboxLearning {
  /** Whether the learner may learn in the item: enrolled in it, or (a topic) in a pathway holding it. */
  mayLearn(userId: string, ref: KnowledgeRef, tx?: Tx): Promise<boolean>;
  /** The learner opened the item: starts their record the first time. False when they may not learn in it. */
  open(userId: string, ref: KnowledgeRef, tx?: Tx): Promise<boolean>;
  /** Marks one of the item's lessons done. False when refused (not enrolled, no such lesson). */
  markLessonDone(userId: string, ref: KnowledgeRef, lessonId: string, tx?: Tx): Promise<boolean>;
  /** Stores the quiz's answers (question id → chosen index), every question answered, and scores it. */
  submitQuiz(userId: string, ref: KnowledgeRef, choices: ReadonlyMap<string, number>, tx?: Tx): Promise<QuizResult>;
  /** Completes an item that has neither lessons nor a quiz. False when refused or the item has steps. */
  markItemDone(userId: string, ref: KnowledgeRef, tx?: Tx): Promise<boolean>;
  /** Records a sign-in (the form, or credentials.signIn) and raises `user.signed_in`. */
  signedIn(userId: string, method: SignInMethod, tx?: Tx): Promise<void>;
}

type Raise = <E extends HostEventName>(event: E, payload: HostEventPayloads[E]) => void;

export function createLearning(ctx: HostContext): SandboxLearning {
  /** Runs `work` in a transaction, then raises what it collected once that commits. */
  async function change<T>(tx: Tx | undefined, work: (db: Knex, raise: Raise, at: Date) => Promise<T>): Promise<T> {
    const emits: Promise<void>[] = [];
    const body = async (trx: Knex.Transaction): Promise<T> => {
      const raise: Raise = (event, payload) => void emits.push(ctx.events.emitAfterCommit(trx, event, payload));
      return work(trx, raise, ctx.clock.now());
    };
    if (tx) {
      // The caller's transaction: its events wait for its commit, so do not wait for them here.
      const result = await (tx as Knex.Transaction).transaction(body);
      void Promise.all(emits);
      return result;
    }
    const result = await ctx.knex.transaction(body);
    await Promise.all(emits);
    return result;
  }

  async function mayLearnIn(db: Knex, userId: number, item: ItemRow): Promise<boolean> {
    const direct = await db('sandbox_enrolments').where({ user_id: userId, item_type: item.type, item_id: String(item.id) }).first('id');
    if (direct) return true;
    return item.type === 'topic' && (await enrolledPathwaysOf(db, userId, item.id)).length > 0;
  }

  async function resolve(db: Knex, userId: string, ref: KnowledgeRef): Promise<{ user: number; item: ItemRow } | null> {
    const user = parseId(userId);
    const item = await getItem(ctx, ref, db);
    if (user === null || !item || !(await mayLearnIn(db, user, item))) return null;
    return { user, item };
  }

  async function start(db: Knex, user: number, ref: KnowledgeRef, at: Date, raise: Raise): Promise<void> {
    if (await startRecord(db, user, ref, at)) raise('learning.started', { userId: String(user), item: ref, at: at.toISOString() });
  }

  /** Measures the record again and raises what moved; a topic moves its pathways too. */
  async function remeasure(db: Knex, user: number, item: ItemRow, at: Date, raise: Raise): Promise<void> {
    const ref: KnowledgeRef = { type: item.type, id: String(item.id) };
    const state = item.type === 'pathway' ? await measurePathway(db, user, item.id) : await measureItem(db, user, item.id);
    if (state) {
      const moved = await applyState(db, user, ref, state, at);
      const base = { userId: String(user), item: ref, at: at.toISOString() };
      if (moved.progressed) raise('learning.progressed', { ...base, percent: state.percent });
      if (moved.completed) raise('learning.completed', { ...base, outcome: state.outcome!, score: state.score });
    }
    if (item.type !== 'topic') return;
    for (const pathwayId of await enrolledPathwaysOf(db, user, item.id)) {
      const pathway = await getItem(ctx, { type: 'pathway', id: String(pathwayId) }, db);
      if (!pathway) continue;
      await start(db, user, { type: 'pathway', id: String(pathwayId) }, at, raise);
      await remeasure(db, user, pathway, at, raise);
    }
  }

  return {
    async mayLearn(userId, ref, tx) {
      return (await resolve(ctx.db(tx), userId, ref)) !== null;
    },

    open: (userId, ref, tx) => change(tx, async (db, raise, at) => {
      const found = await resolve(db, userId, ref);
      if (!found) return false;
      const itemRef = { type: found.item.type, id: String(found.item.id) };
      if (await findRecord(db, found.user, itemRef)) return true;
      await start(db, found.user, itemRef, at, raise);
      await remeasure(db, found.user, found.item, at, raise);
      return true;
    }),

    markLessonDone: (userId, ref, lessonId, tx) => change(tx, async (db, raise, at) => {
      const found = await resolve(db, userId, ref);
      const lesson = parseId(lessonId);
      if (!found || lesson === null) return false;
      const exists = await db('sandbox_lessons').where({ id: lesson, item_id: found.item.id }).first('id');
      if (!exists) return false;
      await start(db, found.user, { type: found.item.type, id: String(found.item.id) }, at, raise);
      await db('sandbox_lesson_progress').insert({ user_id: found.user, lesson_id: lesson, done_at: at }).onConflict(['user_id', 'lesson_id']).ignore();
      await remeasure(db, found.user, found.item, at, raise);
      return true;
    }),

    submitQuiz: (userId, ref, choices, tx) => change(tx, async (db, raise, at): Promise<QuizResult> => {
      const found = await resolve(db, userId, ref);
      if (!found) return 'refused';
      const questions = (await db('sandbox_quiz_questions').where({ item_id: found.item.id }).orderBy('position')
        .select('id', 'options', 'correct')).map((q: { id: number; options: unknown; correct: number }) => ({ ...q, options: optionsOf(q.options) }));
      if (questions.length === 0) return 'refused';
      const answers = questions.map((q) => ({ q, choice: choices.get(String(q.id)) }));
      if (answers.some(({ q, choice }) => choice === undefined || !Number.isInteger(choice) || choice < 0 || choice >= q.options.length)) return 'incomplete';
      await start(db, found.user, { type: found.item.type, id: String(found.item.id) }, at, raise);
      await db('sandbox_quiz_answers')
        .insert(answers.map(({ q, choice }) => ({ user_id: found.user, question_id: q.id, choice, correct: choice === q.correct, answered_at: at })))
        .onConflict(['user_id', 'question_id'])
        .merge(['choice', 'correct', 'answered_at']);
      await remeasure(db, found.user, found.item, at, raise);
      return 'saved';
    }),

    markItemDone: (userId, ref, tx) => change(tx, async (db, raise, at) => {
      const found = await resolve(db, userId, ref);
      if (!found || found.item.type === 'pathway' || (await measureItem(db, found.user, found.item.id)) !== null) return false;
      const itemRef = { type: found.item.type, id: String(found.item.id) };
      await start(db, found.user, itemRef, at, raise);
      const moved = await applyState(db, found.user, itemRef, { percent: 100, completed: true, outcome: 'completed', score: null }, at);
      const base = { userId: String(found.user), item: itemRef, at: at.toISOString() };
      if (moved.progressed) raise('learning.progressed', { ...base, percent: 100 });
      if (moved.completed) raise('learning.completed', { ...base, outcome: 'completed', score: null });
      // Without steps the topic's own record stays as set here; its pathways move.
      if (found.item.type === 'topic') await remeasure(db, found.user, found.item, at, raise);
      return true;
    }),

    signedIn: (userId, method, tx) => change(tx, async (db, raise, at) => {
      const user = parseId(userId);
      if (user === null) return;
      await db('sandbox_sign_ins').insert({ user_id: user, method, at });
      raise('user.signed_in', { userId: String(user), at: at.toISOString() });
    }),
  };
}
