/*
 * The admin's people pages: the list (/admin/users, searchable, keyset pages by id), a person's page
 * with their facts, their enrolments and the form that changes their user type (Staff, Client,
 * Prospect; the host raises `user.updated` once the change committed), and two ways to remove a
 * person, each after a confirmation page: delete the account (raises `user.deleted`), or keep it and
 * erase its personal data (raises `user.erased`, contract 1.1). The plugin forgets the person on
 * either event; the pages say what happens.
 */
import { Router } from 'express';
import { USER_TYPES } from '../../src/contract/index.js';
import type { KnowledgeType, UserType } from '../../src/contract/index.js';
import { knowledgeTypeLabel } from '../knowledge.js';
import { sourceLabel, sourceOf } from '../host/enrolment-sources.js';
import { findUser } from '../host/lookups.js';
import { parseId } from '../host/records.js';
import type { UserRow } from '../host/records.js';
import { erasedEmail } from '../host/sandbox-admin.js';
import { USER_TYPE_LABELS } from '../reports/definitions.js';
import type { WebContext } from './web-context.js';

export const USERS_PAGE = 50;
const NOTICES: Record<string, string> = {
  type: 'The user type was saved.',
  deleted: 'The account was deleted. The self-registration plugin has forgotten the person too.',
  erased: 'The person’s personal data was erased; the account stays, anonymised and suspended. The self-registration plugin has forgotten the person too.',
  missing: 'That account no longer exists.',
  self: 'You cannot remove your own account here.',
};
const ROLE_LABELS: Record<string, string> = { super_admin: 'Super admin', standard_admin: 'Standard admin' };
const ACTIONS = {
  delete: { title: 'Delete', button: 'Delete account', done: 'deleted' },
  erase: { title: 'Erase the personal data of', button: 'Erase personal data', done: 'erased' },
} as const;
type Action = keyof typeof ACTIONS;
const isAction = (v: string): v is Action => v === 'delete' || v === 'erase';
const notice = (done: unknown): string | null => (typeof done === 'string' ? NOTICES[done] ?? null : null);

export function adminUsersRoutes(web: WebContext): Router {
  const { knex, hostContext, admin, render, errorPage, requireAdmin, sameOrigin, currentUser } = web;
  const router = Router();
  const person = (r: UserRow) => ({
    id: r.id, email: r.email, name: `${r.first_name} ${r.last_name}`.trim(), url: `/admin/users/${r.id}`,
    type: USER_TYPE_LABELS[r.type] ?? r.type, role: r.role ? ROLE_LABELS[r.role] ?? r.role : '',
    status: r.status === 'active' ? 'Active' : 'Suspended', erased: r.email === erasedEmail(r.id),
  });

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
      title: 'People', q, people: page.map(person), me: currentUser(req)!.id, notice: notice(req.query.done),
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
      isMe: user.id === currentUser(req)!.id, erased: user.email === erasedEmail(Number(user.id)),
      userTypes: USER_TYPES.map((value) => ({ value, label: USER_TYPE_LABELS[value] })),
      enrolments: enrolments.map((e) => ({ title: e.title, typeLabel: knowledgeTypeLabel(e.type), url: `/admin/items/${e.type}/${e.id}/enrolments`, source: sourceLabel(sourceOf(e)) })),
      notice: notice(req.query.done),
    });
  });

  router.post('/admin/users/:id/type', sameOrigin, requireAdmin, async (req, res) => {
    const type = String((req.body as Record<string, unknown> | undefined)?.type ?? '');
    if (!(USER_TYPES as readonly string[]).includes(type)) return errorPage(req, res, 400, 'Not saved', 'Choose Staff, Client or Prospect.');
    const updated = await admin.updateUser(String(req.params.id), { type: type as UserType });
    if (!updated) return errorPage(req, res, 404, 'Not found', 'There is no such user.');
    res.redirect(303, `/admin/users/${updated.id}?done=type`);
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
