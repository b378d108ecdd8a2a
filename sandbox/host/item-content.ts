/* What a learner works through in a topic or article: its lessons and its quiz (with a pass mark). */
import type { Knex } from 'knex';

export interface LessonRow { id: number; item_id: number; position: number; title: string; body: string }
export interface QuestionRow { id: number; item_id: number; position: number; prompt: string; options: string[]; correct: number }

export interface NewContent {
  lessons: readonly { title: string; body: string }[];
  quiz?: { passMark: number; questions: readonly { prompt: string; options: readonly string[]; correct: number }[] };
}

export interface ItemContent {
  lessons: LessonRow[];
  quiz: { passMark: number; questions: QuestionRow[] } | null;
}

/** jsonb arrives parsed on pg; read a string too. */
export const optionsOf = (value: unknown): string[] => (typeof value === 'string' ? (JSON.parse(value) as string[]) : (value as string[]));

export async function loadContent(db: Knex, itemId: number): Promise<ItemContent> {
  const lessons = (await db<LessonRow>('sandbox_lessons').where({ item_id: itemId }).orderBy('position')) as LessonRow[];
  const quizRow = await db('sandbox_quizzes').where({ item_id: itemId }).first('pass_mark');
  const questions = quizRow
    ? ((await db<QuestionRow>('sandbox_quiz_questions').where({ item_id: itemId }).orderBy('position')) as QuestionRow[]).map((q) => ({ ...q, options: optionsOf(q.options) }))
    : [];
  return { lessons, quiz: quizRow && questions.length > 0 ? { passMark: Number(quizRow.pass_mark), questions } : null };
}

export async function addContent(db: Knex, itemId: number, content: NewContent): Promise<void> {
  if (content.lessons.length > 0) {
    await db('sandbox_lessons').insert(content.lessons.map((l, i) => ({ item_id: itemId, position: i + 1, title: l.title, body: l.body })));
  }
  if (content.quiz) {
    await db('sandbox_quizzes').insert({ item_id: itemId, pass_mark: content.quiz.passMark });
    await db('sandbox_quiz_questions').insert(content.quiz.questions.map((q, i) => ({
      item_id: itemId, position: i + 1, prompt: q.prompt, options: JSON.stringify(q.options), correct: q.correct,
    })));
  }
}

/** A clone gets copies of the source's lessons and quiz (and none of its learners' progress). */
export async function copyContent(db: Knex, fromItemId: number, toItemId: number): Promise<void> {
  const source = await loadContent(db, fromItemId);
  await addContent(db, toItemId, {
    lessons: source.lessons,
    ...(source.quiz && { quiz: { passMark: source.quiz.passMark, questions: source.quiz.questions } }),
  });
}
