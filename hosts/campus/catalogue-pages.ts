/*
 * Campus's course catalogue for learners: `/learn` lists the courses open to the learner's audience
 * and `POST /learn/<id>/join` makes the membership. Both ask the `enrolment.self_enrol` filter
 * board first (contract 1.1): a vetoed course is not listed, a vetoed join is refused with the
 * veto's message.
 */
import type express from 'express';
import type { Knex } from 'knex';
import type { AccessControlPort, EnrolmentsPort, HostUser, KnowledgeItem } from '../../src/contract/index.js';
import type { FilterBoard } from './filters.js';
import { esc } from './panels.js';
import { isUuid, toItem, type CourseRow } from './records.js';

export interface CatalogueDeps {
  knex: Knex;
  access: AccessControlPort;
  enrolments: EnrolmentsPort;
  filters: FilterBoard;
  page(title: string, body: string): string;
}

export function mountCatalogue(app: express.Express, deps: CatalogueDeps): void {
  const veto = (user: HostUser, item: KnowledgeItem) => deps.filters.round('enrolment.self_enrol', { user, item: { type: item.ref.type, id: item.ref.id }, openTo: item.selfEnrolment!.openTo });
  const openFor = async (user: HostUser): Promise<KnowledgeItem[]> => {
    const rows = await deps.knex<CourseRow>('campus_courses').whereNotNull('open_to').orderBy('name');
    return rows.map(toItem).filter((i) => i.selfEnrolment?.openTo.includes(user.type));
  };

  app.get('/learn', async (req, res, next) => {
    try {
      const user = await deps.access.currentUser(req);
      if (!user) return res.redirect(303, deps.access.signInUrl(req.originalUrl));
      const offers: string[] = [];
      for (const item of await openFor(user)) {
        if (await veto(user, item)) continue;
        offers.push(`<li class="campus-offer" data-course="${esc(item.ref.id)}">${esc(item.title)}<form method="post" action="/learn/${esc(item.ref.id)}/join"><button>Join</button></form></li>`);
      }
      res.type('html').send(deps.page('Courses', `<h1>Courses you can join</h1><ul>${offers.join('')}</ul>`));
    } catch (error) {
      next(error);
    }
  });

  app.post('/learn/:id/join', async (req, res, next) => {
    try {
      const user = await deps.access.currentUser(req);
      if (!user) return res.redirect(303, deps.access.signInUrl('/learn'));
      const row = isUuid(req.params.id) ? await deps.knex<CourseRow>('campus_courses').where({ id: req.params.id }).first() : undefined;
      const item = row ? toItem(row) : null;
      if (!item || !item.selfEnrolment?.openTo.includes(user.type)) return void res.status(404).type('html').send(deps.page('Not found', '<p>You cannot join that course.</p>'));
      const refused = await veto(user, item);
      if (refused) return void res.status(403).type('html').send(deps.page('Not joined', `<p class="campus-refusal">${esc(refused.message)}</p>`));
      await deps.enrolments.enrol(user.id, item.ref);
      res.type('html').send(deps.page('Joined', `<p>You joined ${esc(item.title)}.</p>`));
    } catch (error) {
      next(error);
    }
  });
}
