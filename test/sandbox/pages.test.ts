import { expect } from 'chai';
import supertest from 'supertest';
import { isDatabaseUnavailable } from '../../sandbox/web/database-unavailable.js';
import { observed } from './fixtures/fake-plugin.js';
import { signedIn, startTestSandbox } from './helpers.js';
import type { TestSandbox } from './helpers.js';

interface Item { id: number; type: string; title: string; origin: string }

describe('sandbox pages', function () {
  let t: TestSandbox;
  let items: Item[];
  const byTitle = (title: string): Item => items.find((i) => i.title === title)!;

  before(async () => {
    t = await startTestSandbox();
    items = await t.knex('sandbox_items').select('id', 'type', 'title', 'origin');
  });
  after(async () => t?.destroy());

  const as = (label: string) => signedIn(t.sandbox, t.accounts[label]!.email, t.accounts[label]!.password);

  describe('dashboard and items', () => {
    it('sends anonymous visitors to sign in, returning to the page afterwards', async () => {
      expect((await supertest(t.sandbox.app).get('/').expect(303)).headers.location).to.equal('/login?returnTo=%2F');
      const topic = byTitle('Product safety basics');
      expect((await supertest(t.sandbox.app).get(`/items/topic/${topic.id}`).expect(303)).headers.location).to.equal(`/login?returnTo=%2Fitems%2Ftopic%2F${topic.id}`);
    });

    it('lists the learner\'s enrolments with links', async () => {
      const agent = await as('Staff learner');
      const res = await agent.get('/').expect(200);
      const pathway = byTitle('New starter pathway');
      expect(res.text).to.contain('Welcome, Sam');
      expect(res.text).to.contain(`href="/items/pathway/${pathway.id}"`);
      expect(res.text).to.contain('Our service promise');
      expect(res.text).not.to.contain('Product safety basics');
      expect(res.text).not.to.contain('href="/admin/items"');
    });

    it('opens items to enrolled learners (and pathway topics to the pathway\'s learners)', async () => {
      const agent = await as('Staff learner');
      const pathway = byTitle('New starter pathway');
      const page = await agent.get(`/items/pathway/${pathway.id}`).expect(200);
      expect(page.text).to.contain('Customer onboarding essentials').and.to.contain('Handling complaints well');
      await agent.get(`/items/topic/${byTitle('Customer onboarding essentials').id}`).expect(200);
      await agent.get(`/items/topic/${byTitle('Product safety basics').id}`).expect(403);
      await agent.get(`/items/article/${byTitle('Product safety basics').id}`).expect(404);
      await agent.get('/items/topic/99999').expect(404);
      await agent.get('/items/course/1').expect(404);
    });

    it('opens every item to admins', async () => {
      const agent = await as('Standard admin');
      await agent.get(`/items/topic/${byTitle('Product safety basics').id}`).expect(200);
    });
  });

  describe('admin pages', () => {
    it('are forbidden to learners and send anonymous visitors to sign in', async () => {
      const agent = await as('Client learner');
      const topic = byTitle('Product safety basics');
      for (const url of ['/admin/items', `/admin/items/topic/${topic.id}/settings`, '/admin/portal', `/admin/items/topic/${topic.id}/delete`]) {
        await agent.get(url).expect(403);
        await supertest(t.sandbox.app).get(url).expect(303);
      }
      await agent.post(`/admin/items/topic/${topic.id}/clone`).expect(403);
      await agent.post(`/admin/items/topic/${topic.id}/delete`).expect(403);
      expect(await t.knex('sandbox_items').where({ id: topic.id }).first()).to.not.equal(undefined);
    });

    it('list items with their origin and actions', async () => {
      const agent = await as('Standard admin');
      const res = await agent.get('/admin/items').expect(200);
      const library = byTitle('Workplace health and safety (library)');
      expect(res.text).to.contain('Workplace health and safety (library)');
      expect(res.text).to.contain('badge-library');
      expect(res.text).to.contain(`href="/admin/items/topic/${library.id}/settings"`);
      expect(res.text).to.contain('href="/admin/portal"');
    });

    it('render the item.settings panels in the Settings tab, escaped by the plugin', async () => {
      const topic = byTitle('Product safety basics');
      await t.knex('sandbox_items').where({ id: topic.id }).update({ title: 'Safety <script>alert(1)</script>' });
      try {
        const agent = await as('Standard admin');
        const res = await agent.get(`/admin/items/topic/${topic.id}/settings`).expect(200);
        expect(res.text).to.contain('data-panel-id="fake.enrolment"');
        expect(res.text).to.contain('<h2>Fake enrolment</h2>');
        expect(res.text).to.contain('<p class="fake-panel">Tokens for Safety &lt;script&gt;alert(1)&lt;/script&gt;, viewed by editor@example.com</p>');
        expect(res.text).not.to.contain('<script>alert(1)</script>');
      } finally {
        await t.knex('sandbox_items').where({ id: topic.id }).update({ title: topic.title });
      }
    });

    it('skip a panel that renders null, and survive a panel that throws', async () => {
      const agent = await as('Standard admin');
      const library = byTitle('Workplace health and safety (library)');
      const res = await agent.get(`/admin/items/topic/${library.id}/settings`).expect(200);
      expect(res.text).not.to.contain('fake.enrolment');
      const off = t.sandbox.host.panels.register({ slot: 'item.settings', id: 'broken', title: 'Broken', render: async () => { throw new Error('nope'); } });
      try {
        const broken = await agent.get(`/admin/items/topic/${library.id}/settings`).expect(200);
        expect(broken.text).to.contain('This panel could not be displayed');
      } finally {
        off();
      }
    });

    it('show the portal settings with seats and the portal.settings panels for the viewer', async () => {
      const superAdmin = await as('Super admin');
      const res = await superAdmin.get('/admin/portal').expect(200);
      expect(res.text).to.contain('Acme Learning').and.to.contain('4 used of 100').and.to.contain('http://localhost:3000');
      expect(res.text).to.contain('class="fake-portal-panel"');
      const standard = await as('Standard admin');
      expect((await standard.get('/admin/portal').expect(200)).text).not.to.contain('fake-portal-panel');
    });

    it('clone an item and emit item.cloned', async () => {
      const agent = await as('Super admin');
      const pathway = byTitle('New starter pathway');
      observed.cloned.length = 0;
      const res = await agent.post(`/admin/items/pathway/${pathway.id}/clone`).expect(303);
      expect(res.headers.location).to.equal('/admin/items?done=cloned');
      const clone = await t.knex('sandbox_items').where({ title: 'New starter pathway (copy)' }).first();
      expect(clone).to.include({ type: 'pathway', origin: 'own' });
      expect(await t.knex('sandbox_pathway_topics').where({ pathway_id: clone.id })).to.have.length(2);
      expect(observed.cloned).to.deep.equal([{ source: { type: 'pathway', id: String(pathway.id) }, clone: { type: 'pathway', id: String(clone.id) } }]);
      expect((await agent.get('/admin/items?done=cloned').expect(200)).text).to.contain('The item was cloned.');
    });

    it('delete an item after a confirmation page and emit item.deleted', async () => {
      const agent = await as('Super admin');
      const article = byTitle('Our service promise');
      observed.deleted.length = 0;
      const confirm = await agent.get(`/admin/items/article/${article.id}/delete`).expect(200);
      expect(confirm.text).to.contain('1 enrolment will be removed');
      await agent.post(`/admin/items/article/${article.id}/delete`).expect(303);
      expect(await t.knex('sandbox_items').where({ id: article.id }).first()).to.equal(undefined);
      expect(await t.knex('sandbox_enrolments').where({ item_type: 'article', item_id: String(article.id) })).to.have.length(0);
      expect(observed.deleted).to.deep.equal([{ type: 'article', id: String(article.id) }]);
      await agent.post(`/admin/items/article/${article.id}/delete`).expect(303);
      expect(observed.deleted).to.have.length(1);
    });

    it('refuse cross-origin admin POSTs', async () => {
      const agent = await as('Super admin');
      const topic = byTitle('Handling complaints well');
      await agent.post(`/admin/items/topic/${topic.id}/clone`).set('Origin', 'https://evil.example').expect(403);
      await agent.post(`/admin/items/topic/${topic.id}/delete`).set('Origin', 'null').expect(403);
      expect(await t.knex('sandbox_items').where({ id: topic.id }).first()).to.not.equal(undefined);
    });
  });

  describe('errors', () => {
    it('answers a 404 page for unknown paths', async () => {
      const res = await supertest(t.sandbox.app).get('/no/such/page').expect(404);
      expect(res.text).to.contain('Page not found');
      await supertest(t.sandbox.app).get('/api/nothing').expect(404).expect('Content-Type', /json/);
    });

    it('answers a generic 500 without internals and logs the error', async () => {
      const res = await supertest(t.sandbox.app).get('/fake/boom').expect(500);
      expect(res.text).to.contain('Something went wrong');
      expect(res.text).not.to.match(/secret_table|select \*|at Context|\.ts:/);
      expect(t.sandbox.logger.entries.some((e) => e.level === 'error' && e.message === 'Unhandled error')).to.equal(true);
    });

    it('answers 503 when the database is unreachable', async () => {
      const res = await supertest(t.sandbox.app).get('/fake/db-down').expect(503);
      expect(res.text).to.contain('temporarily unavailable');
      expect(res.headers['retry-after']).to.equal('30');
      expect(res.text).not.to.contain('ECONNREFUSED');
      expect(isDatabaseUnavailable({ code: '57P01' })).to.equal(true);
      expect(isDatabaseUnavailable({ name: 'KnexTimeoutError' })).to.equal(true);
      expect(isDatabaseUnavailable({ code: '23505' })).to.equal(false);
    });

    it('refuses oversized bodies with 413', async () => {
      await supertest(t.sandbox.app).post('/login').type('form').send(`email=${'a'.repeat(150_000)}`).expect(413);
    });

    it('sets protective headers', async () => {
      const res = await supertest(t.sandbox.app).get('/login').expect(200);
      expect(res.headers).to.include({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' });
      expect(res.headers['x-powered-by']).to.equal(undefined);
      await supertest(t.sandbox.app).get('/static/sandbox.css').expect(200).expect('Content-Type', /css/);
      await supertest(t.sandbox.app).get('/healthz').expect(200, 'ok');
    });
  });
});
