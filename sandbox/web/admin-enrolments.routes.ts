/*
 * An item's Enrolments tab: who is enrolled, since when and why (the enrolment's source), a page at
 * a time, each with a Remove button (the host raises `enrolment.deleted`, removedBy `admin`); and the
 * Settings tab's self-enrolment form (the user types the item is opened to in the catalogue).
 */
import { Router } from 'express';
import { USER_TYPES } from '../../src/contract/index.js';
import type { UserType } from '../../src/contract/index.js';
import { knowledgeTypeLabel } from '../knowledge.js';
import { sourceLabel, sourceOf } from '../host/enrolment-sources.js';
import { itemUrl } from '../host/records.js';
import { USER_TYPE_LABELS } from '../reports/definitions.js';
import { displayInZone } from '../reports/time.js';
import { loadItem } from './item-access.js';
import type { WebContext } from './web-context.js';

export const ENROLMENTS_PAGE = 50;
const NOTICES: Record<string, string> = { removed: 'The enrolment was removed.', missing: 'That enrolment no longer exists.' };

interface EnrolmentRow { user_id: number; first_name: string; last_name: string; email: string; type: UserType; source_kind: string; source_ref: string | null; created_at: Date }

export function adminEnrolmentsRoutes(web: WebContext): Router {
  const { knex, host, admin, selfEnrolment, render, errorPage, requireAdmin, sameOrigin } = web;
  const router = Router();

  router.get('/admin/items/:type/:id/enrolments', requireAdmin, async (req, res) => {
    const item = await loadItem(knex, req.params.type, req.params.id);
    if (!item) return errorPage(req, res, 404, 'Not found', 'There is no such item.');
    const where = { 'e.item_type': item.type, 'e.item_id': String(item.id) };
    const total = Number((await knex('sandbox_enrolments as e').where(where).count<{ n: string | number }[]>({ n: '*' }))[0]?.n ?? 0);
    const pages = Math.max(1, Math.ceil(total / ENROLMENTS_PAGE));
    const asked = Number.parseInt(String(req.query.page ?? '1'), 10);
    const page = Math.min(Math.max(Number.isFinite(asked) ? asked : 1, 1), pages);
    const rows = (await knex('sandbox_enrolments as e').join('sandbox_users as u', 'u.id', 'e.user_id').where(where)
      .orderByRaw('lower(u.last_name), lower(u.first_name), u.id').offset((page - 1) * ENROLMENTS_PAGE).limit(ENROLMENTS_PAGE)
      .select('u.id as user_id', 'u.first_name', 'u.last_name', 'u.email', 'u.type', 'e.source_kind', 'e.source_ref', 'e.created_at')) as EnrolmentRow[];
    const { timeZone } = await host.portal.info();
    const base = `/admin/items/${item.type}/${item.id}/enrolments`;
    await render(req, res, 'admin-item-enrolments', {
      title: `${item.title}: enrolments`,
      item,
      typeLabel: knowledgeTypeLabel(item.type),
      learnerUrl: itemUrl(item.type, item.id),
      enrolments: rows.map((r) => ({
        name: `${r.first_name} ${r.last_name}`, email: r.email, userType: USER_TYPE_LABELS[r.type] ?? r.type, userUrl: `/admin/users/${r.user_id}`,
        source: sourceLabel(sourceOf(r)), enrolledAt: displayInZone(new Date(r.created_at), timeZone), remove: `${base}/${r.user_id}/remove`,
      })),
      total, page, pages, timeZone,
      previous: page > 1 ? `${base}?page=${page - 1}` : null,
      next: page < pages ? `${base}?page=${page + 1}` : null,
      notice: typeof req.query.done === 'string' ? NOTICES[req.query.done] ?? null : null,
    });
  });

  router.post('/admin/items/:type/:id/enrolments/:userId/remove', sameOrigin, requireAdmin, async (req, res) => {
    const item = await loadItem(knex, req.params.type, req.params.id);
    if (!item) return res.redirect(303, '/admin/items?done=missing');
    const removed = await admin.removeEnrolment(String(req.params.userId), { type: item.type, id: String(item.id) });
    res.redirect(303, `/admin/items/${item.type}/${item.id}/enrolments?done=${removed ? 'removed' : 'missing'}`);
  });

  router.post('/admin/items/:type/:id/self-enrolment', sameOrigin, requireAdmin, async (req, res) => {
    const item = await loadItem(knex, req.params.type, req.params.id);
    if (!item) return res.redirect(303, '/admin/items?done=missing');
    const given = (req.body as Record<string, unknown> | undefined)?.openTo;
    const list = (Array.isArray(given) ? given : given === undefined ? [] : [given]).map(String);
    const unknown = list.filter((t) => !(USER_TYPES as readonly string[]).includes(t));
    if (unknown.length > 0) return errorPage(req, res, 400, 'Not saved', 'Choose among Staff, Client and Prospect.');
    await selfEnrolment.setOpenTo({ type: item.type, id: String(item.id) }, list as UserType[]);
    res.redirect(303, `/admin/items/${item.type}/${item.id}/settings?done=self-enrolment`);
  });

  return router;
}
