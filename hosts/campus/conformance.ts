/* Campus as the conformance kit drives it (`createHost`), its controls written against its own tables and pages. */
import { randomUUID } from 'node:crypto';
import { submitForm } from '../../conformance/kit/forms.js';
import type { HostFactory, RenderedPanel } from '../../conformance/kit/types.js';
import { createCampus } from './index.js';
import { toItem, toUser, type CourseRow, type PersonRow } from './records.js';

const unescape = (s: string): string => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

export const createHost: HostFactory = async ({ knex, publicBaseUrl }) => {
  const campus = await createCampus({ knex, publicBaseUrl });
  return {
    name: 'campus',
    host: campus.host,
    profiles: ['seats', 'credentials', 'panels', 'rules', 'quarantine'],
    app: campus.app,
    async makeUser({ type, email, role = null, status = 'active' }) {
      const [row] = await knex<PersonRow>('campus_people')
        .insert({ id: randomUUID(), email: email ?? `${randomUUID()}@campus.example`, given_name: 'Cam', family_name: 'Pus', audience: type, admin_level: role, suspended: status === 'suspended', password: null, joined_at: new Date() } as PersonRow)
        .returning('*');
      return toUser(row as PersonRow);
    },
    async makeItem({ type, origin, title }) {
      const [row] = await knex<CourseRow>('campus_courses').insert({ id: randomUUID(), kind: type, name: title ?? `A ${type}`, imported: origin === 'library' }).returning('*');
      return toItem(row as CourseRow);
    },
    async setSeatsLeft(n) {
      await knex('campus_subscription').where({ id: 1 }).update({ seats_total: n === null ? null : knex.raw('seats_used + ?', [n]) });
    },
    async raise(event, payload, tx) {
      await campus.events.raise(event, payload, tx);
    },
    async signIn(visitor, user, password, signInUrl) {
      const answer = await submitForm(visitor, signInUrl, { username: user.email, secret: password });
      return { status: answer.status, location: answer.location };
    },
    panelPage: (slot, item) => (slot === 'portal.settings' ? '/manage/settings' : `/manage/courses/${item!.id}`),
    panelsIn(html) {
      const found: RenderedPanel[] = [];
      for (const m of html.matchAll(/<div class="campus-card" id="panel-([^"]*)"><header class="campus-card-title">([\s\S]*?)<\/header><div class="campus-card-body">([\s\S]*?)<\/div><\/div><!-- \/campus-card -->/g)) {
        found.push({ id: unescape(m[1]!), title: unescape(m[2]!), html: m[3]! });
      }
      return found;
    },
    rules: {
      /** Progress as Campus records it (a learner past the first step). */
      async startLearning(userId, item) {
        await knex('campus_progress').insert({ person_id: userId, course_id: item.id, percent: 10 }).onConflict(['person_id', 'course_id']).merge({ percent: 10 });
      },
      async removeEnrolment(userId, item) {
        await campus.leaveCourse(userId, item, 'admin');
      },
    },
    quarantine: {
      async openItem(item, openTo) {
        await knex('campus_courses').where({ id: item.id }).update({ open_to: openTo && openTo.length > 0 ? openTo.join(',') : null });
      },
      async offeredTo(visitor) {
        return [...(await visitor.get('/learn')).text.matchAll(/<li class="campus-offer" data-course="([^"]*)">/g)].map((m) => unescape(m[1]!));
      },
      async enrolSelf(visitor, item) {
        const answer = await visitor.post(`/learn/${encodeURIComponent(item.id)}/join`);
        return { status: answer.status, text: answer.text };
      },
    },
    dispose: () => campus.close(),
  };
};
