/*
 * The data lifecycle as a newcomer sees it, in Chromium: the sandbox's People page and its two
 * confirmation pages, and a cloned item's Enrolment panel with its disabled copies — each checked
 * with axe-core (no serious or critical violation) at 360 px and 1280 px, nothing scrolling sideways.
 * Then an admin erases a person through the pages, and the list says so.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { TestSandbox } from '../sandbox/helpers.js';
import { auditPage, launchBrowser, needsBrowser, signInThroughForm } from '../support/browser.js';
import { startListeningSandbox, type ListeningSandbox } from '../support/listening-sandbox.js';
import { signIn } from '../support/sign-in.js';

const WIDTHS = [360, 1280] as const;

describe('browser: People, erasure and a cloned item’s panel are accessible and fit 360 px (Chromium)', function () {
  this.timeout(180_000);
  let t: TestSandbox;
  let listening: ListeningSandbox;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let clone: { id: number };
  let learnerId = '';

  before(async function () {
    needsBrowser(this);
    listening = await startListeningSandbox({ plugin: { outboxPollMs: 100 } });
    ({ t, base } = listening);
    const admin = await signIn(t, 'Super admin');
    const topic = await t.knex('sandbox_items').where({ type: 'topic', origin: 'own' }).orderBy('id').first();
    const settings = `/admin/items/topic/${topic.id}/settings`;
    for (const nickname of ['Spring open day at the Riverside campus, main hall', 'Newsletter']) {
      await admin.agent.post(`/admin/self-registration/items/topic/${topic.id}/tokens`).type('form').send({ _csrf: admin.csrf, returnTo: settings, nickname, maxUses: '10' }).expect(303);
    }
    await t.sandbox.admin.cloneItem({ type: 'topic', id: String(topic.id) });
    clone = await t.knex('sandbox_items').where({ title: `${topic.title} (copy)` }).first();
    learnerId = String((await t.knex('sandbox_users').where({ email: t.accounts['Client learner']!.email }).first()).id);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await signInThroughForm(page, base, t.accounts['Super admin']!);
  });
  after(async () => {
    await browser?.close();
    await listening?.close();
  });

  const audit = (state: string): Promise<void> => auditPage(page, { suite: 'lifecycle', state, widths: WIDTHS });

  it('the People page and both confirmation pages', async () => {
    await page.goto(`${base}/admin/users`);
    await audit('people');
    await page.goto(`${base}/admin/users/${learnerId}/erase`);
    await audit('erase-confirm');
    await page.goto(`${base}/admin/users/${learnerId}/delete`);
    await audit('delete-confirm');
  });

  it('the cloned item’s Settings tab, its tokens shown as disabled copies', async () => {
    await page.goto(`${base}/admin/items/topic/${clone.id}/settings`);
    expect(await page.locator('#selfreg-copies-note').innerText()).to.contain('2 tokens of this item are disabled copies');
    expect(await page.locator('.selfreg-copy-badge').count()).to.equal(2);
    await audit('cloned-item-settings');
  });

  it('erasing a person through the pages: the list says so and shows them erased', async () => {
    await page.goto(`${base}/admin/users/${learnerId}/erase`);
    await Promise.all([page.waitForURL(`${base}/admin/users?done=erased`), page.getByRole('button', { name: 'Erase personal data' }).click()]);
    expect(await page.locator('.notice').innerText()).to.contain('personal data was erased');
    expect(await page.locator('body').innerText()).to.contain(`erased-${learnerId}@erased.invalid`);
    await audit('people-after-erasure');
  });
});
