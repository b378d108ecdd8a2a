/*
 * Learning in the sandbox host: the learning events are raised once the change commits, with the
 * contract's payloads, and never when it rolls back; quizzes are scored against the pass mark; a
 * pathway's record follows its topics; every sign-in is recorded and raised.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import type { HostEventName, KnowledgeRef } from '../../../src/contract/index.js';
import { signedIn, startTestSandbox } from '../helpers.js';
import type { TestSandbox } from '../helpers.js';

describe('sandbox learning and its events', function () {
  let t: TestSandbox;
  let sam: string;
  let onboarding: KnowledgeRef;
  let complaints: KnowledgeRef;
  let pathway: KnowledgeRef;
  let heard: { event: HostEventName; payload: Record<string, unknown> }[];
  let offs: (() => void)[] = [];
  const now = new Date('2026-11-20T09:30:00Z');
  const at = now.toISOString();

  before(async () => {
    t = await startTestSandbox({ plugin: false });
    t.sandbox.clock.set(now);
    sam = String((await t.knex('sandbox_users').where({ email: 'sam.staff@example.com' }).first('id')).id);
    const id = async (title: string): Promise<string> => String((await t.knex('sandbox_items').where({ title }).first('id')).id);
    onboarding = { type: 'topic', id: await id('Customer onboarding essentials') };
    complaints = { type: 'topic', id: await id('Handling complaints well') };
    pathway = { type: 'pathway', id: await id('New starter pathway') };
  });
  beforeEach(() => {
    heard = [];
    offs = (['user.signed_in', 'learning.started', 'learning.progressed', 'learning.completed'] as const).map((event) =>
      t.sandbox.events.on(event, (payload) => void heard.push({ event, payload: payload as unknown as Record<string, unknown> })));
  });
  afterEach(() => offs.forEach((off) => off()));
  after(async () => t?.destroy());

  // The host's learning service, as the sandbox's pages use it.
  const learning = () => t.sandbox.learning;
  const lessonsOf = async (ref: KnowledgeRef): Promise<string[]> =>
    (await t.knex('sandbox_lessons').where({ item_id: Number(ref.id) }).orderBy('position').select('id')).map((r: { id: number }) => String(r.id));
  const questionsOf = async (ref: KnowledgeRef): Promise<{ id: string; correct: number }[]> =>
    (await t.knex('sandbox_quiz_questions').where({ item_id: Number(ref.id) }).orderBy('position').select('id', 'correct')).map((q: { id: number; correct: number }) => ({ id: String(q.id), correct: q.correct }));
  const record = (ref: KnowledgeRef) => t.knex('sandbox_learning').where({ user_id: Number(sam), item_type: ref.type, item_id: ref.id }).first();

  it('raises nothing while a change is uncommitted, and nothing at all when it rolls back', async () => {
    const [lesson] = await lessonsOf(onboarding);
    await t.knex.transaction(async (trx) => {
      expect(await learning().markLessonDone(sam, onboarding, lesson!, trx)).to.equal(true);
      expect(heard).to.deep.equal([]);
      await trx.rollback();
    }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(heard).to.deep.equal([]);
    expect(await record(onboarding)).to.equal(undefined);
    expect(await t.knex('sandbox_lesson_progress').where({ user_id: Number(sam) })).to.deep.equal([]);
  });

  it('raises learning.started once, then learning.progressed, after the caller\'s transaction commits', async () => {
    const [first] = await lessonsOf(onboarding);
    await t.knex.transaction(async (trx) => {
      await learning().open(sam, onboarding, trx);
      await learning().markLessonDone(sam, onboarding, first!, trx);
      expect(heard).to.deep.equal([]);
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const pathwayStarted = { event: 'learning.started', payload: { userId: sam, item: pathway, at } };
    expect(heard).to.deep.include({ event: 'learning.started', payload: { userId: sam, item: onboarding, at } });
    expect(heard).to.deep.include(pathwayStarted);
    expect(heard).to.deep.include({ event: 'learning.progressed', payload: { userId: sam, item: onboarding, percent: 25, at } });
    // The pathway's progress follows its topics: (25 + 0) / 2, rounded.
    expect(heard).to.deep.include({ event: 'learning.progressed', payload: { userId: sam, item: pathway, percent: 13, at } });
    heard.length = 0;
    await learning().open(sam, onboarding);
    expect(heard).to.deep.equal([]);
  });

  it('scores the quiz against the pass mark: failed, then passed on a retake, each raising learning.completed', async () => {
    for (const lesson of await lessonsOf(onboarding)) await learning().markLessonDone(sam, onboarding, lesson);
    const questions = await questionsOf(onboarding);
    heard.length = 0;
    expect(await learning().submitQuiz(sam, onboarding, new Map([[questions[0]!.id, questions[0]!.correct]]))).to.equal('incomplete');
    expect(heard).to.deep.equal([]);
    const wrong = new Map(questions.map((q, i) => [q.id, i === 0 ? q.correct : (q.correct + 1) % 3]));
    expect(await learning().submitQuiz(sam, onboarding, wrong)).to.equal('saved');
    expect(heard).to.deep.include({ event: 'learning.progressed', payload: { userId: sam, item: onboarding, percent: 100, at } });
    expect(heard).to.deep.include({ event: 'learning.completed', payload: { userId: sam, item: onboarding, outcome: 'failed', score: 33, at } });
    expect(await record(onboarding)).to.include({ percent: 100, outcome: 'failed', score: 33 });
    heard.length = 0;
    expect(await learning().submitQuiz(sam, onboarding, new Map(questions.map((q) => [q.id, q.correct])))).to.equal('saved');
    expect(heard.filter((h) => h.event === 'learning.completed').map((h) => h.payload)).to.deep.equal([{ userId: sam, item: onboarding, outcome: 'passed', score: 100, at }]);
    expect((await t.knex('sandbox_quiz_answers').where({ user_id: Number(sam) })).every((a: { correct: boolean }) => a.correct)).to.equal(true);
  });

  it('completes the pathway when its last topic completes: outcome from its topics, score their mean', async () => {
    heard.length = 0;
    for (const lesson of await lessonsOf(complaints)) await learning().markLessonDone(sam, complaints, lesson);
    expect(heard).to.deep.include({ event: 'learning.completed', payload: { userId: sam, item: complaints, outcome: 'completed', score: null, at } });
    expect(heard).to.deep.include({ event: 'learning.completed', payload: { userId: sam, item: pathway, outcome: 'passed', score: 100, at } });
    expect(await record(pathway)).to.include({ percent: 100, outcome: 'passed', score: 100 });
  });

  it('refuses learning in an item the learner is not enrolled in, and raises nothing', async () => {
    const safety = String((await t.knex('sandbox_items').where({ title: 'Product safety basics' }).first('id')).id);
    heard.length = 0;
    expect(await learning().open(sam, { type: 'topic', id: safety })).to.equal(false);
    const [lesson] = await lessonsOf({ type: 'topic', id: safety });
    expect(await learning().markLessonDone(sam, { type: 'topic', id: safety }, lesson!)).to.equal(false);
    expect(await learning().markLessonDone(sam, onboarding, '99999')).to.equal(false);
    expect(heard).to.deep.equal([]);
  });

  it('records every sign-in, through the form and through credentials.signIn, and raises user.signed_in', async () => {
    const before = Number((await t.knex('sandbox_sign_ins').where({ user_id: Number(sam) }).count({ n: '*' }))[0]!.n);
    await signedIn(t.sandbox, t.accounts['Staff learner']!.email, t.accounts['Staff learner']!.password);
    expect(heard).to.deep.equal([{ event: 'user.signed_in', payload: { userId: sam, at } }]);
    const rows = await t.knex('sandbox_sign_ins').where({ user_id: Number(sam) }).orderBy('id');
    expect(rows).to.have.length(before + 1);
    expect(rows.at(-1)).to.include({ method: 'password' });
    // A wrong password is no sign-in.
    await supertest(t.sandbox.app).post('/login').type('form').send({ email: 'sam.staff@example.com', password: 'wrong' }).expect(401);
    expect(heard).to.have.length(1);
    const signIn = t.sandbox.host.credentials.signIn;
    const req = { login: (_u: unknown, done: (e?: unknown) => void) => done(), session: { save: (done: (e?: unknown) => void) => done() } };
    await signIn(req as never, {} as never, sam);
    expect(heard.at(-1)).to.deep.equal({ event: 'user.signed_in', payload: { userId: sam, at } });
    expect((await t.knex('sandbox_sign_ins').where({ user_id: Number(sam) }).orderBy('id')).at(-1)).to.include({ method: 'link' });
  });
});
