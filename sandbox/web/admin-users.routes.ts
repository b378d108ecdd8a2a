/*
 * The admin's people page (/admin/users): every account with its type, role and status, and two
 * ways to remove a person, each after a confirmation page: delete the account (raises
 * `user.deleted`), or keep it and erase its personal data (raises `user.erased`, contract 1.1). The
 * plugin forgets the person on either event; the pages say what happens.
 */
import { Router } from 'express';
import type { UserRow } from '../host/records.js';
import { parseId } from '../host/records.js';
import { erasedEmail } from '../host/sandbox-admin.js';
import type { WebContext } from './web-context.js';

const PAGE = 100;
const NOTICES: Record<string, string> = {
  deleted: 'The account was deleted. The self-registration plugin has forgotten the person too.',
  erased: 'The person’s personal data was erased; the account stays, anonymised and suspended. The self-registration plugin has forgotten the person too.',
  missing: 'That account no longer exists.',
  self: 'You cannot remove your own account here.',
};
const TYPE_LABELS: Record<string, string> = { staff: 'Staff', client: 'Client', prospect: 'Prospect' };
const ROLE_LABELS: Record<string, string> = { super_admin: 'Super admin', standard_admin: 'Standard admin' };
const ACTIONS = {
  delete: { title: 'Delete', button: 'Delete account', done: 'deleted' },
  erase: { title: 'Erase the personal data of', button: 'Erase personal data', done: 'erased' },
} as const;
type Action = keyof typeof ACTIONS;
const isAction = (v: string): v is Action => v === 'delete' || v === 'erase';

export function adminUsersRoutes(web: WebContext): Router {
  const { knex, admin, render, errorPage, requireAdmin, sameOrigin, currentUser } = web;
  const router = Router();
  const person = (r: UserRow) => ({
    id: r.id, email: r.email, name: `${r.first_name} ${r.last_name}`.trim(), type: TYPE_LABELS[r.type] ?? r.type,
    role: r.role ? ROLE_LABELS[r.role] ?? r.role : '', status: r.status === 'active' ? 'Active' : 'Suspended', erased: r.email === erasedEmail(r.id),
  });

  router.get('/admin/users', requireAdmin, async (req, res) => {
    const rows = await knex<UserRow>('sandbox_users').orderBy('id', 'desc').limit(PAGE + 1).select('*');
    const total = await knex('sandbox_users').count<{ n: string | number }[]>({ n: '*' });
    const notice = typeof req.query.done === 'string' ? NOTICES[req.query.done] ?? null : null;
    await render(req, res, 'admin-users', { title: 'People', people: rows.slice(0, PAGE).map(person), total: Number(total[0]?.n ?? 0), shown: Math.min(rows.length, PAGE), notice, me: currentUser(req)!.id });
  });

  router.get('/admin/users/:id/:action', requireAdmin, async (req, res) => {
    const action = String(req.params.action);
    const id = parseId(String(req.params.id));
    if (!isAction(action) || id === null) return errorPage(req, res, 404, 'Not found', 'There is no such page.');
    const row = await knex<UserRow>('sandbox_users').where({ id }).first();
    if (!row) return errorPage(req, res, 404, 'Not found', 'There is no such account.');
    if (String(id) === currentUser(req)!.id) return res.redirect(303, '/admin/users?done=self');
    const enrolments = await knex('sandbox_enrolments').where({ user_id: id }).count<{ n: string | number }[]>({ n: '*' });
    await render(req, res, 'admin-user-remove', { title: `${ACTIONS[action].title} ${row.first_name} ${row.last_name}`, person: person(row), action, labels: ACTIONS[action], enrolments: Number(enrolments[0]?.n ?? 0) });
  });

  router.post('/admin/users/:id/:action', sameOrigin, requireAdmin, async (req, res) => {
    const action = String(req.params.action);
    const id = String(req.params.id);
    if (!isAction(action) || parseId(id) === null) return errorPage(req, res, 404, 'Not found', 'There is no such page.');
    if (id === currentUser(req)!.id) return res.redirect(303, '/admin/users?done=self');
    const done = action === 'delete' ? await admin.deleteUser(id) : await admin.eraseUser(id);
    res.redirect(303, `/admin/users?done=${done ? ACTIONS[action].done : 'missing'}`);
  });

  return router;
}
