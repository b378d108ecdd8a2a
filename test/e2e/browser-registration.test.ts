/*
 * Journeys in a real browser (Debian's Chromium through playwright-core) against a listening
 * sandbox: an admin brands the page with the live preview; a newcomer registers on the branded page
 * (consent box) and sets a password; an existing user signed in enrols in one click from the form;
 * another signs in through "Already have an account? Sign in" and enrols on the one-click page.
 * Screenshots land in test-artifacts/registration/.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { launchBrowser, needsBrowser, screenshot, signInThroughForm } from '../support/browser.js';
import { LOGO_PATH, NO_LIMITS, startRegistrationSandbox, type RegistrationSandbox } from './registration-helpers.js';

describe('browser: registration journeys in Chromium', function () {
  this.timeout(120_000);
  let s: RegistrationSandbox;
  let code: string;

  before(async function () {
    needsBrowser(this);
    s = await startRegistrationSandbox({ listen: true, options: NO_LIMITS });
    code = (await s.token(s.items.topic.ref, { nickname: 'Browser' })).code!;
  });
  after(async () => s?.close());

  const signIn = (page: Page, label: string, returnTo?: string): Promise<void> => signInThroughForm(page, s.base, s.t.accounts[label]!, returnTo);

  it('an admin brands the page; the preview follows every keystroke without sending anything', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await signIn(page, 'Standard admin');
      await page.goto(`${s.base}/admin/portal`);
      const panel = page.locator('#self-registration-branding');
      const preview = panel.locator('[data-preview-root]');
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));

      await panel.getByLabel('Heading').fill('Learn with Lumen');
      await panel.getByLabel('Introduction').fill('Short courses for customers.\nFree of charge.\n\nStart today.');
      await panel.getByLabel('Primary colour', { exact: true }).fill('#5b2a86');
      await panel.getByLabel('Accent colour', { exact: true }).fill('#ffd166');
      await panel.getByLabel('Privacy notice link').fill('https://lumen.example/privacy');
      expect(await preview.locator('[data-preview="heading"]').textContent()).to.equal('Learn with Lumen');
      expect(await preview.locator('[data-preview="introduction"]').innerHTML()).to.equal('<p>Short courses for customers.<br>Free of charge.</p><p>Start today.</p>');
      expect(await preview.locator('.selfreg-b-button').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor)).to.equal('rgb(91, 42, 134)');
      expect(await preview.locator('[data-preview="consent"]').isVisible()).to.equal(true);
      expect(await preview.locator('[data-preview="consentLabel"]').textContent()).to.equal('I have read the privacy notice');
      expect(await panel.locator('#selfreg-b-contrast').textContent()).to.contain('(good)');

      // Too light for white text: the warning shows at once, before saving.
      await panel.getByLabel('Primary colour', { exact: true }).fill('#f4d35e');
      expect(await panel.locator('#selfreg-b-contrast').textContent()).to.contain('too low');
      await panel.getByLabel('Primary colour', { exact: true }).fill('#5b2a86');
      // The picker beside the hex field follows it, and the field follows the picker.
      expect(await panel.getByLabel('Pick the primary colour').inputValue()).to.equal('#5b2a86');
      await panel.getByLabel('Pick the accent colour').fill('#00a36c');
      expect(await panel.getByLabel('Accent colour', { exact: true }).inputValue()).to.equal('#00a36c');
      await panel.getByLabel('Accent colour', { exact: true }).fill('#ffd166');

      // Markup typed into the heading stays text.
      await panel.getByLabel('Heading').fill('<b>Lumen</b>');
      expect(await preview.locator('[data-preview="heading"]').innerHTML()).to.equal('&lt;b&gt;Lumen&lt;/b&gt;');
      await panel.getByLabel('Heading').fill('Learn with Lumen');
      expect(requests, 'typing sends nothing').to.deep.equal([]);

      // The logo is previewed once the field is left.
      await panel.getByLabel('Logo URL').fill(LOGO_PATH);
      await panel.getByLabel('Logo URL').blur();
      await preview.locator('img[data-preview="logo"]').waitFor({ state: 'visible' });
      await screenshot(page, 'registration', 'panel-live-preview');

      await Promise.all([page.waitForURL(/selfreg_branding=saved/), panel.getByRole('button', { name: 'Save registration page' }).click()]);
      await page.getByText('Registration page saved.').waitFor();
      await page.close();
    } finally {
      await browser.close();
    }
  });

  it('a newcomer registers on the branded page (consent box), sets a password from the email, and lands on the topic', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${s.base}/register/${code}`);
      expect(await page.locator('h1').textContent()).to.equal('Learn with Lumen');
      await page.getByLabel('First name').fill('Grace');
      await page.getByLabel('Last name').fill('Hopper');
      await page.getByLabel('Email address').fill('grace@example.com');
      await page.getByRole('button', { name: 'Register' }).click();
      // Not ticked: the error summary takes the focus and links to the box.
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
      expect(await page.evaluate('document.activeElement.className')).to.equal('selfreg-errors');
      await page.getByRole('link', { name: 'Tick the box to confirm you agree before you register.' }).click();
      expect(await page.evaluate('document.activeElement.id')).to.equal('consent');
      await page.keyboard.press('Space');
      await screenshot(page, 'registration', 'journey-consent');
      await page.getByRole('button', { name: 'Register' }).click();
      await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();

      let link = '';
      for (let i = 0; i < 100 && !link; i++) {
        const row = await s.knex('sandbox_mailbox').where({ to: 'grace@example.com' }).first();
        link = row ? /https?:\/\/\S+\/self-registration\/invitation\/[A-Za-z0-9_-]+/.exec(String(row.text))?.[0] ?? '' : '';
        if (!link) await new Promise((r) => setTimeout(r, 100));
      }
      await page.goto(link);
      await page.getByLabel('New password').fill('grace-is-amazing-1906');
      await page.getByLabel('Repeat the password').fill('grace-is-amazing-1906');
      await Promise.all([page.waitForURL(`${s.base}/items/topic/${s.items.topic.id}`), page.getByRole('button', { name: 'Set password and continue' }).click()]);
      expect(await page.locator('h1').first().textContent()).to.contain(s.items.topic.title);
    } finally {
      await browser.close();
    }
  });

  it('a signed-in existing user registers with their own details, prefilled, and goes straight to the item', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await signIn(page, 'Staff learner');
      await page.goto(`${s.base}/register/${code}`);
      await page.getByText('You’re signed in as Sam Staff').waitFor();
      expect(await page.getByLabel('Email address').inputValue()).to.equal(s.t.accounts['Staff learner']!.email);
      await page.getByLabel('I have read the privacy notice').check();
      await screenshot(page, 'registration', 'journey-signed-in-form');
      await Promise.all([page.waitForURL(`${s.base}/items/topic/${s.items.topic.id}`), page.getByRole('button', { name: 'Register' }).click()]);
      await page.goto(`${s.base}/`);
      expect(await page.content()).to.contain(s.items.topic.title);
      const user = await s.knex('sandbox_users').where({ email: s.t.accounts['Staff learner']!.email }).first();
      expect(user.type).to.equal('staff');
    } finally {
      await browser.close();
    }
  });

  it('"Already have an account? Sign in" leads through the host’s sign-in to a one-click enrolment', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const article = (await s.token(s.items.article.ref)).code!;
      await page.goto(`${s.base}/register/${article}`);
      await page.getByRole('link', { name: 'Sign in' }).click();
      await page.waitForURL(/\/login\?returnTo=/);
      const client = s.t.accounts['Client learner']!;
      await page.fill('input[name=email]', client.email);
      await page.fill('input[name=password]', client.password);
      await Promise.all([page.waitForURL(`${s.base}/register/${article}/enrol`), page.click('button[type=submit]')]);
      // The privacy notice is linked (branded above): the one-click page asks for consent too.
      await page.getByLabel('I have read the privacy notice').check();
      await screenshot(page, 'registration', 'journey-one-click');
      await Promise.all([page.waitForURL(`${s.base}/items/article/${s.items.article.id}`), page.getByRole('button', { name: 'Enrol and open' }).click()]);
      expect(await page.locator('h1').first().textContent()).to.contain(s.items.article.title);
    } finally {
      await browser.close();
    }
  });
});
