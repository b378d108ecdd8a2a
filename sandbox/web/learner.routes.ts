/* The learner's pages: the dashboard (/) and an item's page (/items/<type>/<id>). */
import { Router } from 'express';
import type { KnowledgeType } from '../../src/contract/index.js';
import { knowledgeTypeLabel } from '../knowledge.js';
import { itemUrl } from '../host/records.js';
import { canOpen, loadItem } from './item-access.js';
import type { WebContext } from './web-context.js';

export function learnerRoutes(web: WebContext): Router {
  const { knex, render, errorPage, requireUser, currentUser } = web;
  const router = Router();

  router.get('/', requireUser, async (req, res) => {
    const user = currentUser(req)!;
    const rows = await knex('sandbox_enrolments as e')
      .join('sandbox_items as i', function joinItems() {
        this.on('i.type', '=', 'e.item_type').andOn(knex.raw('i.id::text = e.item_id'));
      })
      .where('e.user_id', Number(user.id))
      .orderBy('e.created_at', 'desc')
      .select('i.id', 'i.type', 'i.title', 'e.created_at as enrolled_at');
    const items = (rows as { id: number; type: KnowledgeType; title: string; enrolled_at: Date }[]).map((r) => ({
      title: r.title, typeLabel: knowledgeTypeLabel(r.type), url: itemUrl(r.type, r.id), enrolledAt: r.enrolled_at,
    }));
    await render(req, res, 'dashboard', { title: 'Dashboard', items });
  });

  router.get('/items/:type/:id', requireUser, async (req, res) => {
    const item = await loadItem(knex, req.params.type, req.params.id);
    if (!item) return errorPage(req, res, 404, 'Not found', 'There is no such item.');
    const user = currentUser(req)!;
    if (!(await canOpen(knex, user, item))) return errorPage(req, res, 403, 'Not enrolled', 'You are not enrolled in this item. Ask your portal admin for access.');
    const topics = item.type === 'pathway'
      ? (await knex('sandbox_pathway_topics as pt').join('sandbox_items as i', 'i.id', 'pt.topic_id')
          .where('pt.pathway_id', item.id).orderBy('pt.position').select('i.id', 'i.title'))
          .map((t: { id: number; title: string }) => ({ title: t.title, url: itemUrl('topic', t.id) }))
      : [];
    await render(req, res, 'item', { title: item.title, item, typeLabel: knowledgeTypeLabel(item.type), paragraphs: item.body.split(/\n{2,}/), topics });
  });

  return router;
}
