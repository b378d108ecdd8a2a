/* The learner's pages: the dashboard and item pages (web/learner.routes.ts). */
import { expect } from 'chai';
import supertest from 'supertest';
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
});
