/*
 * The catalogue in Chromium: a client learner finds an item opened to clients, enrols with its
 * button and lands on it; an item a filter handler vetoes between listing and click is refused
 * with the veto's message; the admin sees the enrolment's source on the item's Enrolments tab and
 * removes it, opens an item to prospects and changes a user's type. Every page passes axe-core
 * (no serious or critical violation) at 1280 and 360 px and does not scroll sideways at 360 px.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { TestSandbox } from '../sandbox/helpers.js';
import { auditPage, launchBrowser, needsBrowser, signInThroughForm } from '../support/browser.js';
import { startListeningSandbox, type ListeningSandbox } from '../support/listening-sandbox.js';

const SUITE = 'catalogue';

describe('browser: the catalogue and the enrolment admin pages (Chromium)', function () {
  this.timeout(180_000);
  let t: TestSandbox;
  let listening: ListeningSandbox;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let complaints: { id: number };
  let safety: { id: number };

  before(async function () {
    needsBrowser(this);
    listening = await startListeningSandbox({ plugin: 'fake' });
    ({ t, base } = listening);
    complaints = await t.knex('sandbox_items').where({ title: 'Handling complaints well' }).first('id');
    safety = await t.knex('sandbox_items').where({ title: 'Product safety basics' }).first('id');
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
  });
  after(async () => {
    await browser?.close();
    await listening?.close();
  });

  async function signInAs(label: string): Promise<void> {
    await page.context().clearCookies();
    await signInThroughForm(page, base, t.accounts[label]!);
  }

  /** axe at 1280 and 360 px, and no sideways scrolling at 360 px. */
  const audit = (name: string): Promise<void> => auditPage(page, { suite: SUITE, state: name, widths: [1280, 360], height: 800, noOverflowAt: [360] });

  it('a learner finds the catalogue in the navigation, enrols with the button and lands on the item', async () => {
    await signInAs('Client learner');
    await page.goto(`${base}/items/topic/${complaints.id}`);
    expect(await page.getByRole('button', { name: 'Enrol' }).count(), 'the item\'s own page offers it').to.equal(1);
    await audit('enrol-offer');
    await Promise.all([page.waitForURL(`${base}/catalogue`), page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalogue' }).click()]);
    expect(await page.locator('h1').innerText()).to.equal('Catalogue');
    const offer = page.locator('li', { hasText: 'Handling complaints well' });
    expect(await offer.count()).to.equal(1);
    expect(await page.locator('li', { hasText: 'Our service promise' }).count(), 'an item opened to prospects only').to.equal(0);
    await audit('catalogue');
    await Promise.all([page.waitForURL(`${base}/items/topic/${complaints.id}`), offer.getByRole('button', { name: 'Enrol' }).click()]);
    expect(await page.locator('h1').innerText()).to.contain('Handling complaints well');
    await page.goto(`${base}/catalogue`);
    expect(await page.locator('li', { hasText: 'Handling complaints well' }).count()).to.equal(0);
    await audit('catalogue-empty');
  });

  it('a request vetoed after the list was shown is refused with the veto\'s message, writing nothing', async () => {
    await signInAs('Staff learner');
    await page.goto(`${base}/catalogue`);
    const offer = page.locator('li', { hasText: 'Handling complaints well' });
    expect(await offer.count()).to.equal(1);
    const leave = t.sandbox.host.events.filter!('enrolment.self_enrol', () => ({ veto: { code: 'test.closed', message: 'Enrolment in this item is paused this week.' } }));
    try {
      const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), offer.getByRole('button', { name: 'Enrol' }).click()]);
      expect(response.status()).to.equal(403);
      await page.waitForLoadState();
      expect(await page.locator('main').innerText()).to.contain('Enrolment in this item is paused this week.');
      await audit('vetoed');
    } finally {
      leave();
    }
    const staffId = (await t.knex('sandbox_users').where({ email: t.accounts['Staff learner']!.email }).first('id')).id;
    expect(await t.knex('sandbox_enrolments').where({ user_id: staffId, item_type: 'topic', item_id: String(complaints.id) })).to.have.length(0);
  });

  it('an admin sees the source on the item\'s Enrolments tab, removes the enrolment, opens an item to prospects and changes a user\'s type', async () => {
    await signInAs('Super admin');
    await page.goto(`${base}/admin/items/topic/${complaints.id}/enrolments`);
    const row = page.locator('tr', { hasText: 'Chris Client' });
    expect(await row.locator('td').nth(3).innerText()).to.equal('Admin or learner');
    await audit('enrolments');
    await Promise.all([page.waitForURL(/done=removed/), row.getByRole('button', { name: 'Remove Chris Client' }).click()]);
    expect(await page.getByRole('status').first().innerText()).to.contain('The enrolment was removed.');
    expect(await page.locator('tr', { hasText: 'Chris Client' }).count()).to.equal(0);

    await page.goto(`${base}/admin/items/topic/${safety.id}/settings`);
    await page.getByRole('checkbox', { name: 'Prospect' }).check();
    await Promise.all([page.waitForURL(/done=self-enrolment/), page.getByRole('button', { name: 'Save self-enrolment' }).click()]);
    expect(await page.getByRole('checkbox', { name: 'Prospect' }).isChecked()).to.equal(true);
    expect((await t.sandbox.host.catalogue.get({ type: 'topic', id: String(safety.id) }))?.selfEnrolment).to.deep.equal({ openTo: ['prospect'] });
    await audit('item-settings');

    await Promise.all([page.waitForURL(`${base}/admin/users`), page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click()]);
    await audit('users');
    await Promise.all([page.waitForURL(/\/admin\/users\/\d+$/), page.getByRole('link', { name: 'Chris Client', exact: true }).click()]);
    await page.getByRole('radio', { name: 'Prospect' }).check();
    await Promise.all([page.waitForURL(/done=type/), page.getByRole('button', { name: 'Save user type' }).click()]);
    expect(await page.getByRole('radio', { name: 'Prospect' }).isChecked()).to.equal(true);
    await audit('user');
    const chris = await t.knex('sandbox_users').where({ email: t.accounts['Client learner']!.email }).first('type');
    expect(chris.type).to.equal('prospect');
  });
});
