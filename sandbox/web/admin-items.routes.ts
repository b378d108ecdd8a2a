/*
 * The admin's item pages: the list (/admin/items), an item's Settings tab with the plugin's
 * item.settings panels, clone, and delete after a confirmation page.
 */
import { Router } from 'express';
import { knowledgeTypeLabel } from '../knowledge.js';
import { USER_TYPE_LABELS } from '../reports/definitions.js';
import { itemUrl } from '../host/records.js';
import type { ItemRow } from '../host/records.js';
import { loadItem } from './item-access.js';
import type { WebContext } from './web-context.js';

const NOTICES: Record<string, string> = { cloned: 'The item was cloned.', deleted: 'The item was deleted.', missing: 'That item no longer exists.' };
const SETTINGS_NOTICES: Record<string, string> = { 'self-enrolment': 'Self-enrolment was saved.' };

export function adminItemsRoutes(web: WebContext): Router {
  const { knex, host, panels, admin, render, errorPage, requireAdmin, sameOrigin, currentUser } = web;
  const router = Router();

  router.get('/admin/items', requireAdmin, async (req, res) => {
    const rows = await knex<ItemRow>('sandbox_items').orderBy([{ column: 'type' }, { column: 'title' }]).select('*');
    const items = rows.map((r) => ({ ...r, typeLabel: knowledgeTypeLabel(r.type), url: itemUrl(r.type, r.id), base: `/admin/items/${r.type}/${r.id}` }));
    const notice = typeof req.query.done === 'string' ? NOTICES[req.query.done] ?? null : null;
    await render(req, res, 'admin-items', { title: 'Items', items, notice });
  });

  router.get('/admin/items/:type/:id/settings', requireAdmin, async (req, res) => {
    const row = await loadItem(knex, req.params.type, req.params.id);
    if (!row) return errorPage(req, res, 404, 'Not found', 'There is no such item.');
    const item = (await host.catalogue.get({ type: row.type, id: String(row.id) }))!;
    const rendered = await panels.render('item.settings', { req, user: currentUser(req)!, item });
    await render(req, res, 'admin-item-settings', {
      title: `${row.title}: settings`, item: row, typeLabel: knowledgeTypeLabel(row.type), learnerUrl: item.learnerUrl, panels: rendered,
      openTo: item.selfEnrolment?.openTo ?? [], userTypes: Object.entries(USER_TYPE_LABELS).map(([value, label]) => ({ value, label })),
      notice: typeof req.query.done === 'string' ? SETTINGS_NOTICES[req.query.done] ?? null : null,
    });
  });

  router.post('/admin/items/:type/:id/clone', sameOrigin, requireAdmin, async (req, res) => {
    const row = await loadItem(knex, req.params.type, req.params.id);
    if (!row) return res.redirect(303, '/admin/items?done=missing');
    await admin.cloneItem({ type: row.type, id: String(row.id) });
    res.redirect(303, '/admin/items?done=cloned');
  });

  router.get('/admin/items/:type/:id/delete', requireAdmin, async (req, res) => {
    const row = await loadItem(knex, req.params.type, req.params.id);
    if (!row) return errorPage(req, res, 404, 'Not found', 'There is no such item.');
    const enrolments = await knex('sandbox_enrolments').where({ item_type: row.type, item_id: String(row.id) }).count<{ n: string | number }[]>({ n: '*' });
    await render(req, res, 'admin-item-delete', { title: `Delete ${row.title}`, item: row, typeLabel: knowledgeTypeLabel(row.type), enrolments: Number(enrolments[0]?.n ?? 0) });
  });

  router.post('/admin/items/:type/:id/delete', sameOrigin, requireAdmin, async (req, res) => {
    const row = await loadItem(knex, req.params.type, req.params.id);
    if (!row) return res.redirect(303, '/admin/items?done=missing');
    await admin.deleteItem({ type: row.type, id: String(row.id) });
    res.redirect(303, '/admin/items?done=deleted');
  });

  return router;
}
