/*
 * The learners' catalogue (/catalogue): the items opened for self-enrolment to the learner's user
 * type that they are not enrolled in and that no `enrolment.self_enrol` filter vetoes, each with an
 * Enrol button. The POST asks the same questions again, so a forged or stale request is refused
 * (403, the veto's message) and writes nothing.
 */
import { Router } from 'express';
import { knowledgeTypeLabel } from '../knowledge.js';
import type { WebContext } from './web-context.js';

export function catalogueRoutes(web: WebContext): Router {
  const { selfEnrolment, render, errorPage, requireUser, sameOrigin, currentUser } = web;
  const router = Router();

  router.get('/catalogue', requireUser, async (req, res) => {
    const user = currentUser(req)!;
    const offers = await selfEnrolment.offers(user);
    const items = offers.map((item) => ({
      title: item.title,
      typeLabel: knowledgeTypeLabel(item.ref.type),
      action: `/catalogue/${item.ref.type}/${item.ref.id}/enrol`,
    }));
    await render(req, res, 'catalogue', { title: 'Catalogue', items });
  });

  router.post('/catalogue/:type/:id/enrol', sameOrigin, requireUser, async (req, res) => {
    const user = currentUser(req)!;
    const result = await selfEnrolment.enrol(user, { type: req.params.type as never, id: String(req.params.id) });
    if (result.kind === 'refused') return errorPage(req, res, 403, 'You cannot enrol in this item', result.veto.message);
    res.redirect(303, result.item.learnerUrl);
  });

  return router;
}
