/* The admin's pages: items, their Settings tab, clone and delete, portal settings (web/admin-items.routes.ts, web/admin-portal.routes.ts). */
import { expect } from 'chai';
import supertest from 'supertest';
import { observed } from '../fixtures/fake-plugin.js';
import { signedIn, startTestSandbox } from '../helpers.js';
import type { TestSandbox } from '../helpers.js';

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
      expect(res.text).to.contain('Acme Learning').and.to.contain('13 used of 100').and.to.contain('http://localhost:3000');
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
      expect(confirm.text).to.contain('2 enrolments will be removed');
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
});
