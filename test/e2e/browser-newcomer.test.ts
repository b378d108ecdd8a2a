/*
 * The newcomer's path in a real browser (Debian's Chromium through playwright-core), against the
 * sandbox listening on a loopback port with the plugin loaded from its manifest and mail captured
 * in the sandbox mailbox. Screenshots land in test-artifacts/newcomer/.
 */
import { expect } from 'chai';
import type { BrowserContext } from 'playwright-core';
import type { TestSandbox } from '../sandbox/helpers.js';
import { launchBrowser, needsBrowser, screenshot, signInThroughForm } from '../support/browser.js';
import { startListeningSandbox, type ListeningSandbox } from '../support/listening-sandbox.js';

describe('browser: the newcomer path in Chromium', function () {
  this.timeout(90_000);
  let t: TestSandbox;
  let listening: ListeningSandbox;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;

  before(async function () {
    needsBrowser(this);
    listening = await startListeningSandbox({ plugin: { outboxPollMs: 100 } });
    ({ t, base } = listening);
    browser = await launchBrowser();
    context = browser.context;
  });
  after(async () => {
    await browser?.close();
    await listening?.close();
  });

  it('admin creates a token; a visitor registers from the deep link, sets a password from the email, and lands on the topic', async () => {
    const page = await context.newPage();
    await signInThroughForm(page, base, t.accounts['Super admin']!);

    await page.goto(`${base}/admin/items`);
    const topicRow = page.locator('tr', { hasText: 'Topic' }).filter({ hasNotText: 'Library' }).first();
    const title = (await topicRow.locator('td a').first().textContent())!.trim();
    await topicRow.getByRole('link', { name: 'Settings' }).click();
    await page.fill('#selfreg-nickname', 'Website footer');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('Token created.').waitFor();
    await screenshot(page, 'newcomer', '1-enrolment-panel');
    const deepLink = (await page.locator('button.selfreg-copy').first().getAttribute('data-copy'))!;
    expect(deepLink).to.match(new RegExp(`^${base}/register/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$`));
    await page.close();

    // A private window: a fresh context with no cookies.
    const visitorBrowser = await launchBrowser();
    try {
      const visitor = await visitorBrowser.context.newPage();
      await visitor.goto(deepLink);
      await visitor.getByText(title).first().waitFor();
      await screenshot(visitor, 'newcomer', '2-register-deep-link');
      await visitor.getByLabel('First name').fill('Grace');
      await visitor.getByLabel('Last name').fill('Hopper');
      await visitor.getByLabel('Email address').fill('grace.hopper@example.com');
      await visitor.getByRole('button', { name: 'Register' }).click();
      await visitor.getByRole('heading', { name: 'Check your inbox' }).waitFor();
      await screenshot(visitor, 'newcomer', '3-registered');

      await visitor.goto(`${base}/mailbox`);
      for (let i = 0; i < 50 && !(await visitor.getByText('set your password').count()); i++) {
        await new Promise((r) => setTimeout(r, 100));
        await visitor.reload();
      }
      await visitor.getByText('set your password').first().click();
      await screenshot(visitor, 'newcomer', '4-mailbox-invitation');
      const link = (await visitor.locator('pre a[href*="/self-registration/invitation/"]').first().getAttribute('href'))!;
      await visitor.goto(link);
      await visitor.getByLabel('New password').fill('grace-is-amazing-1906');
      await visitor.getByLabel('Repeat the password').fill('grace-is-amazing-1906');
      await screenshot(visitor, 'newcomer', '5-set-password');
      await Promise.all([visitor.waitForURL(/\/items\/topic\/\d+$/), visitor.getByRole('button', { name: 'Set password and continue' }).click()]);
      expect(await visitor.locator('h1').first().textContent()).to.contain(title);
      await screenshot(visitor, 'newcomer', '6-topic');
      await visitor.goto(`${base}/`);
      expect(await visitor.content()).to.contain(title);
      await screenshot(visitor, 'newcomer', '7-dashboard');
    } finally {
      await visitorBrowser.close();
    }
  });
});
