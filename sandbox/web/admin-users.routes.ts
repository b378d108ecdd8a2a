/*
 * The admin's user pages: the list (/admin/users, searchable, keyset pages by id) and a user's page
 * with their facts, their enrolments and the form that changes their user type (Staff, Client,
 * Prospect); the host raises `user.updated` once the change committed.
 */
import { Router } from 'express';
import { USER_TYPES } from '../../src/contract/index.js';
import type { KnowledgeType, UserType } from '../../src/contract/index.js';
import { knowledgeTypeLabel } from '../knowledge.js';
import { sourceLabel, sourceOf } from '../host/enrolment-sources.js';
import { findUser } from '../host/lookups.js';
import { parseId } from '../host/records.js';
import type { UserRow } from '../host/records.js';
import { USER_TYPE_LABELS } from '../reports/definitions.js';
import type { WebContext } from './web-context.js';

export const USERS_PAGE = 50;
const NOTICES: Record<string, string> = { type: 'The user type was saved.' };
const ROLE_LABELS: Record<string, string> = { super_admin: 'Super admin', standard_admin: 'Standard admin' };

export function adminUsersRoutes(web: WebContext): Router {
  const { knex, hostContext, admin, render, errorPage, requireAdmin, sameOrigin } = web;
  const router = Router();

  router.get('/admin/users', requireAdmin, async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 200) : '';
    const after = typeof req.query.after === 'string' ? parseId(req.query.after) ?? 0 : 0;
    const query = knex<UserRow>('sandbox_users').where('id', '>', after).orderBy('id').limit(USERS_PAGE + 1);
    if (q) {
      const like = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.where((w) => w.whereRaw('lower(email) like ?', [like]).orWhereRaw("lower(first_name || ' ' || last_name) like ?", [like]));
    }
    const rows = await query;
    const page = rows.slice(0, USERS_PAGE);
    const search = q ? `q=${encodeURIComponent(q)}&` : '';
    await render(req, res, 'admin-users', {
      title: 'Users', q,
      users: page.map((u) => ({ name: `${u.first_name} ${u.last_name}`, email: u.email, type: USER_TYPE_LABELS[u.type], role: u.role ? ROLE_LABELS[u.role] : '', status: u.status, url: `/admin/users/${u.id}` })),
      next: rows.length > USERS_PAGE ? `/admin/users?${search}after=${page[page.length - 1]!.id}` : null,
      first: after > 0 ? `/admin/users${q ? `?q=${encodeURIComponent(q)}` : ''}` : null,
    });
  });

  router.get('/admin/users/:id', requireAdmin, async (req, res) => {
    const user = await findUser(hostContext, String(req.params.id));
    if (!user) return errorPage(req, res, 404, 'Not found', 'There is no such user.');
    const enrolments = (await knex('sandbox_enrolments as e')
      .join('sandbox_items as i', function joinItems() {
        this.on('i.type', '=', 'e.item_type').andOn(knex.raw('i.id::text = e.item_id'));
      })
      .where('e.user_id', Number(user.id)).orderByRaw('lower(i.title), i.id')
      .select('i.id', 'i.type', 'i.title', 'e.source_kind', 'e.source_ref')) as { id: number; type: KnowledgeType; title: string; source_kind: string; source_ref: string | null }[];
    await render(req, res, 'admin-user', {
      title: `${user.firstName} ${user.lastName}`,
      shown: { ...user, role: user.role ? ROLE_LABELS[user.role] : null },
      userTypes: USER_TYPES.map((value) => ({ value, label: USER_TYPE_LABELS[value] })),
      enrolments: enrolments.map((e) => ({ title: e.title, typeLabel: knowledgeTypeLabel(e.type), url: `/admin/items/${e.type}/${e.id}/enrolments`, source: sourceLabel(sourceOf(e)) })),
      notice: typeof req.query.done === 'string' ? NOTICES[req.query.done] ?? null : null,
    });
  });

  router.post('/admin/users/:id/type', sameOrigin, requireAdmin, async (req, res) => {
    const type = String((req.body as Record<string, unknown> | undefined)?.type ?? '');
    if (!(USER_TYPES as readonly string[]).includes(type)) return errorPage(req, res, 400, 'Not saved', 'Choose Staff, Client or Prospect.');
    const updated = await admin.updateUser(String(req.params.id), { type: type as UserType });
    if (!updated) return errorPage(req, res, 404, 'Not found', 'There is no such user.');
    res.redirect(303, `/admin/users/${updated.id}?done=type`);
  });

  return router;
}
