/*
 * What a learner does on an item's page: mark a lesson done, send the quiz's answers, complete an
 * item that has neither. Forms of the sandbox: a cross-origin POST is refused (Origin, else Referer).
 */
import { Router } from 'express';
import type { Request } from 'express';
import { itemUrl } from '../host/records.js';
import { renderItemPage } from './item-page.js';
import { loadItem } from './item-access.js';
import type { WebContext } from './web-context.js';

/** `answer-<questionId>` fields of the quiz form, each a choice index. */
function choicesOf(req: Request): Map<string, number> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const choices = new Map<string, number>();
  for (const [name, value] of Object.entries(body)) {
    const question = /^answer-(\d{1,9})$/.exec(name)?.[1];
    if (question && typeof value === 'string' && /^\d{1,3}$/.test(value)) choices.set(question, Number(value));
  }
  return choices;
}

export function learningRoutes(web: WebContext): Router {
  const { knex, learning, errorPage, requireUser, sameOrigin, currentUser } = web;
  const router = Router();
  const refused = 'You are not enrolled in this item. Ask your portal admin for access.';

  router.post('/items/:type/:id/lessons/:lessonId/done', sameOrigin, requireUser, async (req, res) => {
    const item = await loadItem(knex, req.params.type, req.params.id);
    if (!item) return errorPage(req, res, 404, 'Not found', 'There is no such item.');
    const ok = await learning.markLessonDone(currentUser(req)!.id, { type: item.type, id: String(item.id) }, String(req.params.lessonId));
    if (!ok) return errorPage(req, res, 403, 'Not allowed', refused);
    res.redirect(303, `${itemUrl(item.type, item.id)}?saved=lesson#lesson-${String(req.params.lessonId)}`);
  });

  router.post('/items/:type/:id/quiz', sameOrigin, requireUser, async (req, res) => {
    const item = await loadItem(knex, req.params.type, req.params.id);
    if (!item) return errorPage(req, res, 404, 'Not found', 'There is no such item.');
    const choices = choicesOf(req);
    const result = await learning.submitQuiz(currentUser(req)!.id, { type: item.type, id: String(item.id) }, choices);
    if (result === 'refused') return errorPage(req, res, 403, 'Not allowed', refused);
    if (result === 'incomplete') return renderItemPage(web, req, res, item, { status: 422, error: 'Answer every question, then send your answers.', chosen: choices });
    res.redirect(303, `${itemUrl(item.type, item.id)}?saved=quiz#quiz`);
  });

  router.post('/items/:type/:id/done', sameOrigin, requireUser, async (req, res) => {
    const item = await loadItem(knex, req.params.type, req.params.id);
    if (!item) return errorPage(req, res, 404, 'Not found', 'There is no such item.');
    const ok = await learning.markItemDone(currentUser(req)!.id, { type: item.type, id: String(item.id) });
    if (!ok) return errorPage(req, res, 403, 'Not allowed', refused);
    res.redirect(303, `${itemUrl(item.type, item.id)}?saved=done`);
  });

  return router;
}
