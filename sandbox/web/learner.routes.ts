/* The learner's pages: the dashboard (/) with their progress, and an item's page (/items/<type>/<id>). */
import { Router } from 'express';
import type { KnowledgeType } from '../../src/contract/index.js';
import { knowledgeTypeLabel } from '../knowledge.js';
import { itemUrl } from '../host/records.js';
import { canOpen, loadItem } from './item-access.js';
import { renderItemPage } from './item-page.js';
import type { WebContext } from './web-context.js';

export function learnerRoutes(web: WebContext): Router {
  const { knex, learning, selfEnrolment, render, errorPage, requireUser, currentUser } = web;
  const router = Router();

  router.get('/', requireUser, async (req, res) => {
    const user = currentUser(req)!;
    const rows = await knex('sandbox_enrolments as e')
      .join('sandbox_items as i', function joinItems() {
        this.on('i.type', '=', 'e.item_type').andOn(knex.raw('i.id::text = e.item_id'));
      })
      .where('e.user_id', Number(user.id))
      .orderBy('e.created_at', 'desc')
      .leftJoin('sandbox_learning as l', function joinRecords() {
        this.on('l.user_id', '=', 'e.user_id').andOn('l.item_type', '=', 'e.item_type').andOn('l.item_id', '=', 'e.item_id');
      })
      .select('i.id', 'i.type', 'i.title', 'e.created_at as enrolled_at', 'l.percent', 'l.completed_at');
    const items = (rows as { id: number; type: KnowledgeType; title: string; enrolled_at: Date; percent: number | null; completed_at: Date | null }[]).map((r) => ({
      title: r.title, typeLabel: knowledgeTypeLabel(r.type), url: itemUrl(r.type, r.id), enrolledAt: r.enrolled_at,
      progress: r.completed_at ? 'Completed' : r.percent === null ? 'Not started' : `${r.percent}% done`,
    }));
    await render(req, res, 'dashboard', { title: 'Dashboard', items });
  });

  router.get('/items/:type/:id', requireUser, async (req, res) => {
    const item = await loadItem(knex, req.params.type, req.params.id);
    if (!item) return errorPage(req, res, 404, 'Not found', 'There is no such item.');
    const user = currentUser(req)!;
    if (!(await canOpen(knex, user, item))) {
      // An item open for them to enrol in (as the catalogue would list it) offers its Enrol button.
      const offer = await selfEnrolment.offer(user, { type: item.type, id: String(item.id) });
      if (offer) return render(req, res, 'enrol-offer', { title: 'Not enrolled', item: offer, action: `/catalogue/${item.type}/${item.id}/enrol` }, 403);
      return errorPage(req, res, 403, 'Not enrolled', 'You are not enrolled in this item. Ask your portal admin for access.');
    }
    // The first visit of an enrolled learner starts their record (learning.started).
    await learning.open(user.id, { type: item.type, id: String(item.id) });
    await renderItemPage(web, req, res, item);
  });

  return router;
}
