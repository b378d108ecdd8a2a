/*
 * The learner's item page: the item's text, its lessons (each marked done with a button), its quiz
 * (answers kept, score and outcome against the pass mark, retakes allowed), or for a pathway its
 * topics with the learner's progress in each. Admins who are not enrolled see the content only.
 */
import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { knowledgeTypeLabel } from '../knowledge.js';
import { loadContent } from '../host/item-content.js';
import { findRecord } from '../host/learning-records.js';
import type { LearningRow } from '../host/learning-records.js';
import { itemUrl } from '../host/records.js';
import type { ItemRow } from '../host/records.js';
import type { WebContext } from './web-context.js';

const NOTICES: Record<string, string> = {
  lesson: 'Lesson marked as done.',
  quiz: 'Your answers were saved.',
  done: 'Marked as complete.',
};

export interface ItemPageExtras {
  status?: number;
  error?: string;
  /** What the learner chose in a refused quiz form, to show again. */
  chosen?: ReadonlyMap<string, number>;
}

const describeRecord = (record: LearningRow | null) => ({
  percent: record?.percent ?? 0,
  status: !record ? 'Not started' : record.completed_at ? 'Completed' : 'In progress',
  outcome: record?.outcome ?? null,
  score: record?.score ?? null,
});

async function pathwayTopics(knex: Knex, userId: number, pathway: ItemRow) {
  const rows = (await knex('sandbox_pathway_topics as pt').join('sandbox_items as i', 'i.id', 'pt.topic_id')
    .where('pt.pathway_id', pathway.id).orderBy('pt.position').select('i.id', 'i.title')) as { id: number; title: string }[];
  const topics = [];
  for (const t of rows) {
    const record = await findRecord(knex, userId, { type: 'topic', id: String(t.id) });
    topics.push({ title: t.title, url: itemUrl('topic', t.id), ...describeRecord(record) });
  }
  return topics;
}

export async function renderItemPage(web: WebContext, req: Request, res: Response, item: ItemRow, extras: ItemPageExtras = {}): Promise<void> {
  const { knex, learning, render, currentUser } = web;
  const user = currentUser(req)!;
  const ref = { type: item.type, id: String(item.id) };
  const learner = await learning.mayLearn(user.id, ref);
  const userId = Number(user.id);
  const record = learner ? await findRecord(knex, userId, ref) : null;
  const content = item.type === 'pathway' ? { lessons: [], quiz: null } : await loadContent(knex, item.id);
  const done = new Set(learner
    ? ((await knex('sandbox_lesson_progress as p').join('sandbox_lessons as l', 'l.id', 'p.lesson_id')
        .where({ 'p.user_id': userId, 'l.item_id': item.id }).select('p.lesson_id')) as { lesson_id: number }[]).map((r) => r.lesson_id)
    : []);
  const answered = new Map<string, number>(learner && content.quiz
    ? ((await knex('sandbox_quiz_answers').where({ user_id: userId }).whereIn('question_id', content.quiz.questions.map((q) => q.id))
        .select('question_id', 'choice')) as { question_id: number; choice: number }[]).map((a) => [String(a.question_id), a.choice])
    : []);
  const chosen = extras.chosen ?? answered;
  const base = itemUrl(item.type, item.id);
  const saved = typeof req.query.saved === 'string' ? NOTICES[req.query.saved] ?? null : null;
  await render(req, res, 'item', {
    title: item.title,
    item,
    typeLabel: knowledgeTypeLabel(item.type),
    paragraphs: item.body.split(/\n{2,}/),
    topics: item.type === 'pathway' ? await pathwayTopics(knex, userId, item) : [],
    learner,
    record: describeRecord(record),
    lessons: content.lessons.map((l) => ({ ...l, done: done.has(l.id), action: `${base}/lessons/${l.id}/done`, paragraphs: l.body.split(/\n{2,}/) })),
    quiz: content.quiz && {
      passMark: content.quiz.passMark,
      action: `${base}/quiz`,
      taken: answered.size === content.quiz.questions.length,
      questions: content.quiz.questions.map((q) => ({ id: q.id, prompt: q.prompt, options: q.options, chosen: chosen.get(String(q.id)) ?? null })),
    },
    doneAction: `${base}/done`,
    notice: saved,
    error: extras.error ?? null,
  }, extras.status ?? 200);
}
