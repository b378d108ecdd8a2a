/* The learner's item page as a real page to work through: lessons marked done, the quiz answered and scored, forms refused cross-site. */
import { expect } from 'chai';
import supertest from 'supertest';
import { signedIn, startTestSandbox } from '../helpers.js';
import type { TestSandbox } from '../helpers.js';

describe('sandbox learner item pages', function () {
  let t: TestSandbox;
  let chris: ReturnType<typeof supertest.agent>;
  let safety: number;
  let url: string;

  before(async () => {
    t = await startTestSandbox({ plugin: false });
    safety = (await t.knex('sandbox_items').where({ title: 'Product safety basics' }).first('id')).id;
    url = `/items/topic/${safety}`;
    chris = await signedIn(t.sandbox, t.accounts['Client learner']!.email, t.accounts['Client learner']!.password);
  });
  after(async () => t?.destroy());

  it('shows the lessons, the quiz with its pass mark and the learner\'s progress; the first visit starts the record', async () => {
    const page = await chris.get(url).expect(200);
    expect(page.text).to.contain('Before a demonstration').and.to.contain('When something goes wrong');
    expect(page.text).to.contain('Pass mark: 80%').and.to.contain('Damaged stock is reported…');
    expect(page.text).to.contain('0% · In progress');
    const chrisId = (await t.knex('sandbox_users').where({ email: t.accounts['Client learner']!.email }).first('id')).id;
    expect(await t.knex('sandbox_learning').where({ user_id: chrisId, item_type: 'topic', item_id: String(safety) }).first()).to.include({ percent: 0 });
  });

  it('marks a lesson done with a POST and returns to the page', async () => {
    const lesson = await t.knex('sandbox_lessons').where({ item_id: safety, position: 1 }).first('id');
    const res = await chris.post(`${url}/lessons/${lesson.id}/done`).expect(303);
    expect(res.headers.location).to.equal(`${url}?saved=lesson#lesson-${lesson.id}`);
    const page = await chris.get(res.headers.location.split('#')[0]!).expect(200);
    expect(page.text).to.contain('Lesson marked as done.').and.to.contain('33% · In progress');
  });

  it('asks again for a quiz with a question left out, keeping what was chosen', async () => {
    const [q1] = await t.knex('sandbox_quiz_questions').where({ item_id: safety }).orderBy('position').select('id');
    const res = await chris.post(`${url}/quiz`).type('form').send({ [`answer-${q1.id}`]: '0' }).expect(422);
    expect(res.text).to.contain('Answer every question');
    expect(res.text).to.match(new RegExp(`name="answer-${q1.id}" value="0" checked`));
  });

  it('scores the quiz against the pass mark once every lesson is done: failed at 67 %, then passed', async () => {
    const lesson = await t.knex('sandbox_lessons').where({ item_id: safety, position: 2 }).first('id');
    await chris.post(`${url}/lessons/${lesson.id}/done`).expect(303);
    const questions = await t.knex('sandbox_quiz_questions').where({ item_id: safety }).orderBy('position').select('id', 'correct');
    const answers = (right: number) => Object.fromEntries(questions.map((q: { id: number; correct: number }, i: number) => [`answer-${q.id}`, String(i < right ? q.correct : q.correct === 0 ? 1 : 0)]));
    expect((await chris.post(`${url}/quiz`).type('form').send(answers(2)).expect(303)).headers.location).to.equal(`${url}?saved=quiz#quiz`);
    expect((await chris.get(url).expect(200)).text).to.contain('100% · Completed · Failed (score 67%)');
    await chris.post(`${url}/quiz`).type('form').send(answers(3)).expect(303);
    expect((await chris.get(url).expect(200)).text).to.contain('100% · Completed · Passed (score 100%)');
    const dashboard = await chris.get('/').expect(200);
    expect(dashboard.text).to.contain('Completed');
  });

  it('refuses a learner who is not enrolled, a cross-site form, and a visitor', async () => {
    const onboarding = (await t.knex('sandbox_items').where({ title: 'Customer onboarding essentials' }).first('id')).id;
    const lesson = await t.knex('sandbox_lessons').where({ item_id: onboarding }).first('id');
    await chris.post(`/items/topic/${onboarding}/lessons/${lesson.id}/done`).expect(403);
    const own = await t.knex('sandbox_lessons').where({ item_id: safety, position: 1 }).first('id');
    await chris.post(`${url}/lessons/${own.id}/done`).set('Origin', 'https://evil.example').expect(403);
    const visitor = await supertest(t.sandbox.app).post(`${url}/quiz`).expect(303);
    expect(visitor.headers.location).to.match(/^\/login\?returnTo=/);
  });

  it('shows admins the content without recording anything', async () => {
    const admin = await signedIn(t.sandbox, t.accounts['Super admin']!.email, t.accounts['Super admin']!.password);
    const before = await t.knex('sandbox_learning').count({ n: '*' });
    const page = await admin.get(url).expect(200);
    expect(page.text).to.contain('progress is recorded for enrolled learners only').and.not.to.contain('Send answers');
    expect(await t.knex('sandbox_learning').count({ n: '*' })).to.deep.equal(before);
  });

  it('shows a pathway\'s learner the progress of each of its topics', async () => {
    const sam = await signedIn(t.sandbox, t.accounts['Staff learner']!.email, t.accounts['Staff learner']!.password);
    const pathway = (await t.knex('sandbox_items').where({ title: 'New starter pathway' }).first('id')).id;
    const onboarding = (await t.knex('sandbox_items').where({ title: 'Customer onboarding essentials' }).first('id')).id;
    const lesson = await t.knex('sandbox_lessons').where({ item_id: onboarding, position: 1 }).first('id');
    await sam.post(`/items/topic/${onboarding}/lessons/${lesson.id}/done`).expect(303);
    const page = await sam.get(`/items/pathway/${pathway}`).expect(200);
    expect(page.text).to.contain('13% · In progress');
    expect(page.text).to.match(/Customer onboarding essentials<\/a> <span class="muted small">25% · In progress/);
    expect(page.text).to.match(/Handling complaints well<\/a> <span class="muted small">0% · Not started/);
  });

  it('gives a clone copies of the lessons and quiz, and none of the progress', async () => {
    const clone = await t.sandbox.admin.cloneItem({ type: 'topic', id: String(safety) });
    const id = Number(clone!.id);
    expect(await t.knex('sandbox_lessons').where({ item_id: id }).orderBy('position').pluck('title')).to.deep.equal(['Before a demonstration', 'When something goes wrong']);
    expect(await t.knex('sandbox_quizzes').where({ item_id: id }).first('pass_mark')).to.deep.equal({ pass_mark: 80 });
    expect(await t.knex('sandbox_quiz_questions').where({ item_id: id })).to.have.length(3);
    expect(await t.knex('sandbox_learning').where({ item_type: 'topic', item_id: clone!.id })).to.deep.equal([]);
  });
});
