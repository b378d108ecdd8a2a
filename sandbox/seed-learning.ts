/*
 * The first start's learning content and learners: lessons and quizzes for the demo items, and nine
 * demo learners — three Staff, three Client, three Prospect, without passwords — enrolled in
 * "Customer onboarding essentials" (some in more) with varied progress, quiz answers and sign-ins,
 * so every report of the Reports tab shows something at once. Records are measured by the same code
 * the learner's pages use; no event is raised (nothing listens before the plugin loads).
 */
import type { Knex } from 'knex';
import type { KnowledgeRef, UserType } from '../src/contract/index.js';
import { addContent } from './host/item-content.js';
import type { NewContent } from './host/item-content.js';
import { applyState, measureItem, measurePathway, startRecord } from './host/learning-records.js';

export interface SeededItems {
  onboarding: number;
  safety: number;
  complaints: number;
  article: number;
  pathway: number;
  library: number;
}

type ItemKey = keyof SeededItems;

const lesson = (title: string, body: string) => ({ title, body });

const CONTENT: Partial<Record<ItemKey, NewContent>> = {
  onboarding: {
    lessons: [
      lesson('The first call', 'Call within one working day of sign-up. Ask what success looks like for them and write it down.'),
      lesson('The getting-started guide', 'Send the guide after the call and book a 30-minute walkthrough in the first week.'),
      lesson('The two-week check-in', 'Ask what is working and what is not, and agree one next step.'),
    ],
    quiz: {
      passMark: 60,
      questions: [
        { prompt: 'When should the first call happen?', options: ['Within one working day', 'Within a month', 'Only if the customer asks'], correct: 0 },
        { prompt: 'What do you agree on the first call?', options: ['The price', 'What success looks like', 'A renewal date'], correct: 1 },
        { prompt: 'When is the check-in?', options: ['After a year', 'After one day', 'After two weeks'], correct: 2 },
      ],
    },
  },
  safety: {
    lessons: [
      lesson('Before a demonstration', 'Read the product\'s safety instructions and keep guards and covers in place.'),
      lesson('When something goes wrong', 'Make sure everyone is safe, then record what happened in the incident log.'),
    ],
    quiz: {
      passMark: 80,
      questions: [
        { prompt: 'Damaged stock is reported…', options: ['the same day', 'at the end of the month', 'never'], correct: 0 },
        { prompt: 'Guards and covers stay…', options: ['off for demonstrations', 'in place'], correct: 1 },
        { prompt: 'After an injury, first…', options: ['fill in the log', 'make sure the person is safe'], correct: 1 },
      ],
    },
  },
  complaints: {
    lessons: [
      lesson('Listen first', 'Let the customer finish. Thank them for telling us.'),
      lesson('Say what happens next', 'Apologise for how they feel and say what you will do, and by when.'),
      lesson('Follow up', 'Write it up within 24 hours and follow up when you said you would.'),
    ],
  },
  article: { lessons: [lesson('Our promise', 'We answer every message within one working day.'), lesson('Keeping it', 'Each team checks its open messages every morning.')] },
  library: { lessons: [lesson('Risk assessment', 'Spot hazards, decide who might be harmed, act.'), lesson('Near misses', 'Report every near miss the same day.')] },
};

interface Plan {
  /** Lessons done (the first n) and, for a quiz, whether each answer is right. */
  readonly lessons?: number;
  readonly answers?: readonly boolean[];
}

interface DemoLearner {
  readonly first: string;
  readonly last: string;
  readonly type: UserType;
  /** Sign-ins, in days before the seed. */
  readonly signIns: readonly number[];
  /** Days before the seed at which they enrolled. */
  readonly enrolled: number;
  readonly items: Partial<Record<ItemKey, Plan>>;
}

export const DEMO_LEARNERS: readonly DemoLearner[] = [
  { first: 'Priya', last: 'Shah', type: 'staff', signIns: [21, 9, 2], enrolled: 22, items: { onboarding: { lessons: 3, answers: [true, true, true] }, pathway: {}, complaints: { lessons: 3 } } },
  { first: 'Tom', last: 'Evans', type: 'staff', signIns: [5], enrolled: 6, items: { onboarding: { lessons: 1 } } },
  { first: 'Aisha', last: 'Khan', type: 'staff', signIns: [], enrolled: 3, items: { onboarding: {} } },
  { first: 'Lena', last: 'Novak', type: 'client', signIns: [14, 3], enrolled: 15, items: { onboarding: { lessons: 3, answers: [true, false, false] }, safety: { lessons: 2, answers: [true, true, true] } } },
  { first: 'Marco', last: 'Rossi', type: 'client', signIns: [30, 20, 10, 1], enrolled: 31, items: { onboarding: { lessons: 3, answers: [true, true, false] }, pathway: {}, complaints: { lessons: 1 } } },
  { first: 'Hana', last: 'Sato', type: 'client', signIns: [4], enrolled: 5, items: { onboarding: { lessons: 2 } } },
  { first: 'Olu', last: 'Adeyemi', type: 'prospect', signIns: [6, 1], enrolled: 7, items: { onboarding: { lessons: 3, answers: [true, true, true] } } },
  { first: 'Jo', last: 'Martin', type: 'prospect', signIns: [], enrolled: 2, items: { onboarding: {} } },
  { first: 'Femi', last: 'Okafor', type: 'prospect', signIns: [2], enrolled: 4, items: { onboarding: { lessons: 3, answers: [false, false, true] }, article: { lessons: 2 } } },
];

const DAY = 24 * 60 * 60 * 1000;
const TYPE_OF: Record<ItemKey, KnowledgeRef['type']> = { onboarding: 'topic', safety: 'topic', complaints: 'topic', article: 'article', pathway: 'pathway', library: 'topic' };

export async function seedLearning(db: Knex, items: SeededItems, now: Date): Promise<void> {
  for (const [key, content] of Object.entries(CONTENT) as [ItemKey, NewContent][]) await addContent(db, items[key], content);
  const ago = (days: number, hours = 0): Date => new Date(now.getTime() - days * DAY + hours * 60 * 60 * 1000);

  for (const person of DEMO_LEARNERS) {
    const [row] = await db('sandbox_users')
      .insert({ email: `${person.first}.${person.last}@example.com`.toLowerCase(), first_name: person.first, last_name: person.last, type: person.type, role: null, status: 'active', password_hash: null, created_at: ago(person.enrolled, -1) })
      .returning('id');
    const userId = (row as { id: number }).id;
    if (person.signIns.length > 0) await db('sandbox_sign_ins').insert(person.signIns.map((d) => ({ user_id: userId, method: 'password', at: ago(d) })));
    const active = person.signIns[0] ?? 0;
    for (const [key, plan] of Object.entries(person.items) as [ItemKey, Plan][]) {
      const ref: KnowledgeRef = { type: TYPE_OF[key], id: String(items[key]) };
      await db('sandbox_enrolments').insert({ user_id: userId, item_type: ref.type, item_id: ref.id, source: 'seed', created_at: ago(person.enrolled) });
      if (key === 'pathway' || (!plan.lessons && !plan.answers)) continue;
      const at = ago(active, 1);
      await startRecord(db, userId, ref, ago(active));
      const lessons = (await db('sandbox_lessons').where({ item_id: items[key] }).orderBy('position').limit(plan.lessons ?? 0).select('id')) as { id: number }[];
      if (lessons.length > 0) await db('sandbox_lesson_progress').insert(lessons.map((l) => ({ user_id: userId, lesson_id: l.id, done_at: at })));
      if (plan.answers) {
        const questions = (await db('sandbox_quiz_questions').where({ item_id: items[key] }).orderBy('position').select('id', 'correct')) as { id: number; correct: number }[];
        await db('sandbox_quiz_answers').insert(questions.map((q, i) => {
          const right = plan.answers![i] ?? false;
          return { user_id: userId, question_id: q.id, choice: right ? q.correct : q.correct === 0 ? 1 : 0, correct: right, answered_at: at };
        }));
      }
      const state = await measureItem(db, userId, items[key]);
      if (state) await applyState(db, userId, ref, state, at);
    }
    if (person.items.pathway) {
      const ref: KnowledgeRef = { type: 'pathway', id: String(items.pathway) };
      await startRecord(db, userId, ref, ago(active));
      await applyState(db, userId, ref, await measurePathway(db, userId, items.pathway), ago(active, 1));
    }
  }
}
