/*
 * The memory host's self-enrolment catalogue: `/catalogue` lists to a signed-in learner the items
 * opened to their type, and `POST /catalogue/<type>/<id>/enrol` enrols them. Both ask the
 * `enrolment.self_enrol` filter chain first (contract 1.1): a vetoed item is not listed, a vetoed
 * request is refused with the veto's message.
 */
import express from 'express';
import type { AccessControlPort, EnrolmentsPort, HostUser, KnowledgeItem } from '../../../src/contract/index.js';
import type { MemoryFilters } from './filters.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function catalogueRoutes(deps: { access: AccessControlPort; items: Map<string, KnowledgeItem>; enrolments: EnrolmentsPort; filters: MemoryFilters }): express.Router {
  const router = express.Router();
  const page = (title: string, body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><main>${body}</main></body></html>`;
  const openTo = (item: KnowledgeItem, user: HostUser) => !!item.selfEnrolment && item.selfEnrolment.openTo.includes(user.type);
  const vetoFor = (user: HostUser, item: KnowledgeItem) => deps.filters.ask('enrolment.self_enrol', { user, item: { type: item.ref.type, id: item.ref.id }, openTo: [...item.selfEnrolment!.openTo] });

  router.get('/catalogue', async (req, res, next) => {
    try {
      const user = await deps.access.currentUser(req);
      if (!user) return res.redirect(303, deps.access.signInUrl(req.originalUrl));
      const offered: KnowledgeItem[] = [];
      for (const item of deps.items.values()) if (openTo(item, user) && !(await vetoFor(user, item))) offered.push(item);
      const list = offered.map((i) => `<li data-item="${esc(i.ref.id)}"><form method="post" action="/catalogue/${esc(i.ref.type)}/${esc(i.ref.id)}/enrol">${esc(i.title)} <button>Enrol</button></form></li>`);
      res.type('html').send(page('Catalogue', `<h1>Catalogue</h1><ul class="catalogue">${list.join('')}</ul>`));
    } catch (error) {
      next(error);
    }
  });

  router.post('/catalogue/:type/:id/enrol', async (req, res, next) => {
    try {
      const user = await deps.access.currentUser(req);
      if (!user) return res.redirect(303, deps.access.signInUrl('/catalogue'));
      const item = deps.items.get(req.params.id);
      if (!item || item.ref.type !== req.params.type || !openTo(item, user)) return void res.status(404).type('html').send(page('Not found', '<p>This item is not open to you.</p>'));
      const veto = await vetoFor(user, item);
      if (veto) return void res.status(403).type('html').send(page('Not enrolled', `<p class="refused">${esc(veto.message)}</p>`));
      await deps.enrolments.enrol(user.id, item.ref);
      res.type('html').send(page('Enrolled', `<p>You are enrolled in ${esc(item.title)}.</p>`));
    } catch (error) {
      next(error);
    }
  });
  return router;
}
