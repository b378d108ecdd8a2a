/*
 * The catalogue and the admin pages of contract 1.1's enrolment parts: self-enrolment for the
 * learner's type through the `enrolment.self_enrol` filter chain (web/catalogue.routes.ts), the
 * item's self-enrolment setting and Enrolments tab (web/admin-enrolments.routes.ts), and the
 * user pages where an admin changes a user's type (web/admin-users.routes.ts).
 */
import { expect } from 'chai';
import supertest from 'supertest';
import type { HostUser, KnowledgeRef } from '../../../src/contract/index.js';
import { signedIn, startTestSandbox } from '../helpers.js';
import type { TestSandbox } from '../helpers.js';

interface Item { id: number; type: KnowledgeRef['type']; title: string }
const PROSPECT_PASSWORD = 'a long prospect password 42';

describe('sandbox pages: catalogue and enrolments', function () {
  let t: TestSandbox;
  let items: Item[];
  let prospect: HostUser;
  const byTitle = (title: string): Item => items.find((i) => i.title === title)!;
  const refOf = (i: Item): KnowledgeRef => ({ type: i.type, id: String(i.id) });

  before(async () => {
    t = await startTestSandbox();
    items = await t.knex('sandbox_items').select('id', 'type', 'title');
    prospect = await t.sandbox.host.users.create({ email: 'newcomer@example.com', firstName: 'Nia', lastName: 'Newcomer', type: 'prospect' });
    expect(await t.sandbox.host.credentials.setPassword(prospect.id, PROSPECT_PASSWORD)).to.deep.equal({ ok: true });
  });
  after(async () => t?.destroy());

  const as = (label: string) => signedIn(t.sandbox, t.accounts[label]!.email, t.accounts[label]!.password);
  const asProspect = () => signedIn(t.sandbox, prospect.email, PROSPECT_PASSWORD);
  const enrolmentsOf = async (userId: string | number) => t.knex('sandbox_enrolments').where({ user_id: Number(userId) }).select('item_type', 'item_id', 'source_kind');
  const userIdOf = async (label: string) => String((await t.knex('sandbox_users').where({ email: t.accounts[label]!.email }).first('id')).id);
  const enrolPath = (i: Item) => `/catalogue/${i.type}/${i.id}/enrol`;

  describe('catalogue', () => {
    it('sends anonymous visitors to sign in and links the catalogue for signed-in learners', async () => {
      expect((await supertest(t.sandbox.app).get('/catalogue').expect(303)).headers.location).to.equal('/login?returnTo=%2Fcatalogue');
      const res = await (await as('Staff learner')).get('/').expect(200);
      expect(res.text).to.contain('href="/catalogue"');
    });

    it('lists the seeded items opened to the learner\'s type that they are not enrolled in', async () => {
      const staff = (await (await as('Staff learner')).get('/catalogue').expect(200)).text;
      expect(staff).to.contain('Handling complaints well');
      expect(staff).not.to.contain('Our service promise');
      const newcomer = (await (await asProspect()).get('/catalogue').expect(200)).text;
      expect(newcomer).to.contain('Our service promise');
      expect(newcomer).not.to.contain('Handling complaints well');
    });

    it('enrols on the POST with source other, then no longer lists the item', async () => {
      const agent = await as('Client learner');
      const complaints = byTitle('Handling complaints well');
      const res = await agent.post(enrolPath(complaints)).type('form').send({}).expect(303);
      expect(res.headers.location).to.equal(`/items/topic/${complaints.id}`);
      expect(await enrolmentsOf(await userIdOf('Client learner'))).to.deep.include({ item_type: 'topic', item_id: String(complaints.id), source_kind: 'other' });
      expect((await agent.get('/catalogue').expect(200)).text).not.to.contain('Handling complaints well');
      await agent.get(`/items/topic/${complaints.id}`).expect(200);
      await t.sandbox.admin.removeEnrolment(await userIdOf('Client learner'), refOf(complaints));
    });

    it('offers the Enrol button on the page of an item open to the learner they are not enrolled in', async () => {
      const agent = await asProspect();
      const article = byTitle('Our service promise');
      const res = await agent.get(`/items/article/${article.id}`).expect(403);
      expect(res.text).to.contain(`action="${enrolPath(article)}"`);
      const closed = await agent.get(`/items/topic/${byTitle('Handling complaints well').id}`).expect(403);
      expect(closed.text).to.contain('Ask your portal admin for access');
      expect(closed.text).not.to.contain('/enrol"');
      const leave = t.sandbox.host.events.filter!('enrolment.self_enrol', () => ({ veto: { code: 'no', message: 'No.' } }));
      try {
        const vetoed = await agent.get(`/items/article/${article.id}`).expect(403);
        expect(vetoed.text).not.to.contain(`action="${enrolPath(article)}"`);
      } finally {
        leave();
      }
    });

    it('refuses a POST for an item not opened to the learner\'s type, or none at all, with 403 and nothing written', async () => {
      const agent = await asProspect();
      for (const path of [enrolPath(byTitle('Handling complaints well')), enrolPath(byTitle('Product safety basics')), '/catalogue/topic/999999/enrol', '/catalogue/nonsense/1/enrol']) {
        const res = await agent.post(path).type('form').send({}).expect(403);
        expect(res.text, path).to.contain('not open for you to enrol in');
      }
      expect(await enrolmentsOf(prospect.id)).to.deep.equal([]);
    });

    it('refuses a forged POST (no form token of the session) with 403 and nothing written', async () => {
      const agent = supertest.agent(t.sandbox.app);
      await agent.post('/login').type('form').send({ email: prospect.email, password: PROSPECT_PASSWORD }).expect(303);
      const article = byTitle('Our service promise');
      await agent.post(enrolPath(article)).type('form').send({}).expect(403);
      await agent.post(enrolPath(article)).set('Origin', 'https://evil.example').type('form').send({ _form_token: 'x' }).expect(403);
      expect(await enrolmentsOf(prospect.id)).to.deep.equal([]);
    });

    it('hides and refuses what a filter handler vetoes, showing the veto\'s message', async () => {
      const seen: { user: string; item: KnowledgeRef }[] = [];
      const leave = t.sandbox.host.events.filter!('enrolment.self_enrol', ({ user, item }) => {
        seen.push({ user: user.email, item });
        return user.type === 'prospect' ? { veto: { code: 'test.quarantine', message: 'Newcomers enrol through their invitation & its link.' } } : undefined;
      });
      try {
        const agent = await asProspect();
        const article = byTitle('Our service promise');
        const page = (await agent.get('/catalogue').expect(200)).text;
        expect(page).not.to.contain('Our service promise');
        expect(page).to.contain('There is nothing new for you to enrol in');
        const res = await agent.post(enrolPath(article)).type('form').send({}).expect(403);
        expect(res.text).to.contain('Newcomers enrol through their invitation &amp; its link.');
        expect(seen).to.deep.include({ user: prospect.email, item: refOf(article) });
        expect(await enrolmentsOf(prospect.id)).to.deep.equal([]);
        expect((await (await as('Staff learner')).get('/catalogue').expect(200)).text, 'other types pass').to.contain('Handling complaints well');
      } finally {
        leave();
      }
    });

    it('fails closed when a handler throws: nothing listed, the POST refused with a generic message', async () => {
      const leave = t.sandbox.host.events.filter!('enrolment.self_enrol', () => {
        throw new Error('plugin failure');
      });
      try {
        const agent = await as('Staff learner');
        expect((await agent.get('/catalogue').expect(200)).text).not.to.contain('Handling complaints well');
        const res = await agent.post(enrolPath(byTitle('Handling complaints well'))).type('form').send({}).expect(403);
        expect(res.text).to.contain('This cannot be done right now');
        expect(res.text).not.to.contain('plugin failure');
        expect(await enrolmentsOf(await userIdOf('Staff learner'))).not.to.deep.include({ item_type: 'topic', item_id: String(byTitle('Handling complaints well').id), source_kind: 'other' });
      } finally {
        leave();
      }
    });
  });

  describe('item admin', () => {
    it('saves the user types an item is opened to from its Settings tab', async () => {
      const admin = await as('Standard admin');
      const safety = byTitle('Product safety basics');
      const settings = `/admin/items/topic/${safety.id}/settings`;
      expect((await admin.get(settings).expect(200)).text).to.contain('Self-enrolment');
      const res = await admin.post(`/admin/items/topic/${safety.id}/self-enrolment`).type('form').send('openTo=prospect&openTo=client').expect(303);
      expect(res.headers.location).to.equal(`${settings}?done=self-enrolment`);
      const page = (await admin.get(res.headers.location!).expect(200)).text;
      expect(page).to.match(/value="prospect" checked/);
      expect(page).not.to.match(/value="staff" checked/);
      expect((await t.sandbox.host.catalogue.get(refOf(safety)))?.selfEnrolment).to.deep.equal({ openTo: ['client', 'prospect'] });
      expect((await (await asProspect()).get('/catalogue')).text).to.contain('Product safety basics');
      await admin.post(`/admin/items/topic/${safety.id}/self-enrolment`).type('form').send('openTo=guest').expect(400);
      await admin.post(`/admin/items/topic/${safety.id}/self-enrolment`).type('form').send({}).expect(303);
      expect(await t.sandbox.host.catalogue.get(refOf(safety))).not.to.have.property('selfEnrolment');
      await (await as('Client learner')).post(`/admin/items/topic/${safety.id}/self-enrolment`).type('form').send('openTo=client').expect(403);
      expect(await t.sandbox.host.catalogue.get(refOf(safety))).not.to.have.property('selfEnrolment');
    });

    it('lists an item\'s enrolments with their source and removes one, raising enrolment.deleted (removedBy admin)', async () => {
      const topic = byTitle('Customer onboarding essentials');
      await t.sandbox.host.enrolments.enrolFrom!(prospect.id, refOf(topic), { kind: 'rule', ref: 'rule-42' });
      const admin = await as('Super admin');
      const base = `/admin/items/topic/${topic.id}/enrolments`;
      const page = (await admin.get(base).expect(200)).text;
      expect(page).to.contain('Nia Newcomer');
      expect(page).to.contain('Enrolment rule (rule-42)');
      const seen: unknown[] = [];
      const off = t.sandbox.host.events.on('enrolment.deleted', (p) => void seen.push(p));
      try {
        await (await as('Client learner')).post(`${base}/${prospect.id}/remove`).expect(403);
        expect(await t.sandbox.host.enrolments.isEnrolled(prospect.id, refOf(topic))).to.equal(true);
        const res = await admin.post(`${base}/${prospect.id}/remove`).type('form').send({}).expect(303);
        expect(res.headers.location).to.equal(`${base}?done=removed`);
        expect(await t.sandbox.host.enrolments.isEnrolled(prospect.id, refOf(topic))).to.equal(false);
        expect(seen).to.deep.equal([{ userId: prospect.id, item: refOf(topic), source: { kind: 'rule', ref: 'rule-42' }, removedBy: 'admin' }]);
        expect((await admin.post(`${base}/${prospect.id}/remove`).type('form').send({}).expect(303)).headers.location).to.equal(`${base}?done=missing`);
      } finally {
        off();
      }
    });
  });

  describe('user admin', () => {
    it('changes a user\'s type from their page, raising user.updated', async () => {
      const admin = await as('Super admin');
      expect((await admin.get('/admin/users?q=newcomer').expect(200)).text).to.contain(`href="/admin/users/${prospect.id}"`);
      expect((await admin.get(`/admin/users/${prospect.id}`).expect(200)).text).to.match(/value="prospect" checked/);
      const seen: HostUser[] = [];
      const off = t.sandbox.host.events.on('user.updated', ({ user }) => void seen.push(user));
      try {
        await (await as('Client learner')).post(`/admin/users/${prospect.id}/type`).type('form').send({ type: 'staff' }).expect(403);
        await admin.post(`/admin/users/${prospect.id}/type`).type('form').send({ type: 'owner' }).expect(400);
        const res = await admin.post(`/admin/users/${prospect.id}/type`).type('form').send({ type: 'client' }).expect(303);
        expect(res.headers.location).to.equal(`/admin/users/${prospect.id}?done=type`);
        expect(seen.map((u) => [u.id, u.type])).to.deep.equal([[prospect.id, 'client']]);
        expect((await t.sandbox.host.users.findById(prospect.id))?.type).to.equal('client');
        // The catalogue follows the new type at once.
        const catalogue = (await (await asProspect()).get('/catalogue').expect(200)).text;
        expect(catalogue).to.contain('Handling complaints well');
        expect(catalogue).not.to.contain('Our service promise');
      } finally {
        off();
        await t.sandbox.admin.updateUser(prospect.id, { type: 'prospect' });
      }
    });
  });
});
