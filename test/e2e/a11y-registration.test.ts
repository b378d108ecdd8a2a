/*
 * Accessibility of every public page and state, in Debian's Chromium with axe-core, at 1280 px and
 * 360 px wide: zero serious or critical violations. The pages carry a full branding (logo, colours,
 * heading, introduction with line breaks, terms and privacy links, so the consent box shows).
 * Screenshots of every state land in test-artifacts/registration/.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { TYPES } from '../../src/types.js';
import type { SettingsRepository } from '../../src/domain/ports/settings-repository.port.js';
import type { SaveBranding } from '../../src/application/branding/save-branding.use-case.js';
import { auditPage, launchBrowser, needsBrowser, signInThroughForm } from '../support/browser.js';
import { LOGO_PATH, startRegistrationSandbox, type RegistrationSandbox } from './registration-helpers.js';

const WIDTHS = [1280, 360] as const;

describe('a11y: every public registration page in Chromium with axe-core, at 1280 and 360 px', function () {
  this.timeout(180_000);
  let s: RegistrationSandbox;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let usable: string;

  before(async function () {
    needsBrowser(this);
    s = await startRegistrationSandbox({ listen: true, options: { rateLimitUnknownCode: '3/1h', rateLimitIp: 'off', rateLimitEmail: 'off' } });
    usable = (await s.token(s.items.topic.ref, { nickname: 'a11y' })).code!;
    // Axe is loaded through the DevTools protocol (injectAxe), so the pages keep their real CSP.
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  /** Runs axe at both widths on the page as it is now, nothing wider than the screen; screenshots each. */
  const audit = (state: string): Promise<void> => auditPage(page, { suite: 'registration', state, widths: WIDTHS });

  async function fill(values: Record<string, string>): Promise<void> {
    for (const [label, value] of Object.entries(values)) await page.getByLabel(label, { exact: true }).fill(value);
  }

  /** The link in the newest mail to `to` in the sandbox mailbox (waits for the outbox to deliver it). */
  async function linkFor(to: string, since: number): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const row = await s.knex('sandbox_mailbox').where({ to }).andWhere('id', '>', since).orderBy('id', 'desc').first();
      const link = row && /https?:\/\/\S+\/self-registration\/(?:invitation|sign-in)\/[A-Za-z0-9_-]+/.exec(String(row.text))?.[0];
      if (link) return link;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no mail to ${to}`);
  }

  const lastMail = async (): Promise<number> => Number((await s.knex('sandbox_mailbox').max<{ id: number }[]>({ id: 'id' }).first())?.id ?? 0);

  it('the default look, before any branding', async () => {
    await page.goto(`${s.base}/register/${usable}`);
    expect(await page.locator('h1').textContent()).to.equal('Register for training');
    expect(await page.locator('input[name=consent]').count()).to.equal(0);
    await audit('00-default-look');
    const admin = (await s.t.sandbox.host.users.findByEmail(s.t.accounts['Super admin']!.email))!;
    const saved = await s.plugin.container.get<SaveBranding>(TYPES.SaveBranding).execute(admin, {
      logoUrl: LOGO_PATH,
      primaryColour: '#0b6e4f',
      accentColour: '#f2c14e',
      heading: 'Join the Northwind customer academy',
      introduction: 'Free courses for our customers and partners.\nRegister with the token from your invitation.\n\nIt takes a minute, and you can stop at any time.',
      termsUrl: 'https://northwind.example/terms',
      privacyUrl: 'https://northwind.example/privacy',
      successMessage: 'Thank you! Check your inbox for a link to set your password.\nIt can take a few minutes to arrive.',
    });
    expect(saved.ok, 'branding saved').to.equal(true);
  });

  it('the empty form', async () => {
    await page.goto(`${s.base}/register`);
    expect(await page.locator('h1').textContent()).to.equal('Join the Northwind customer academy');
    expect(await page.locator('.selfreg-intro p').count()).to.equal(2);
    expect(await page.locator('.selfreg-intro p').first().innerHTML()).to.equal('Free courses for our customers and partners.<br>Register with the token from your invitation.');
    expect(await page.getByLabel('I agree to the terms of use and the privacy notice').count()).to.equal(1);
    expect(await page.locator(`img.selfreg-logo[src="${LOGO_PATH}"]`).evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).to.be.greaterThan(0);
    await audit('01-empty-form');
  });

  it('the form with errors, summarised and linked to their fields', async () => {
    await page.goto(`${s.base}/register`);
    await fill({ 'First name': 'Ada1', 'Email address': 'not an email', Token: 'bad<token>' });
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    const links = await page.locator('.selfreg-errors a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).to.deep.equal(['#firstName', '#lastName', '#email', '#token', '#consent']);
    expect(await page.locator('#email').getAttribute('aria-describedby')).to.equal('email-error');
    await audit('02-form-errors');
  });

  it('the deep link with a usable token, the item shown', async () => {
    await page.goto(`${s.base}/register/${usable}`);
    expect(await page.locator('.selfreg-item-title').textContent()).to.equal(s.items.topic.title);
    expect(await page.getByLabel('Token', { exact: true }).inputValue()).to.equal(usable);
    await audit('03-deep-link');
  });

  it('disabled, expired and used-up tokens, each with its own message', async () => {
    const disabled = await s.token(s.items.article.ref, { enabled: false });
    const expired = await s.token(s.items.article.ref, { expiresAt: new Date(Date.now() - 60_000) });
    const usedUp = await s.token(s.items.article.ref, { maxUses: 2, uses: 2 });
    for (const [name, token, text] of [
      ['04-token-disabled', disabled, 'currently disabled'],
      ['05-token-expired', expired, 'has expired'],
      ['06-token-used-up', usedUp, 'reached its limit'],
    ] as const) {
      await page.goto(`${s.base}/register/${token.code}`);
      expect(await page.locator('.selfreg-notice').textContent()).to.contain(text);
      await audit(name);
    }
  });

  it('an unknown token', async () => {
    await page.goto(`${s.base}/register/ZZZZ-ZZZZ-ZZZZ`);
    expect(await page.locator('.selfreg-notice').textContent()).to.contain('We don’t recognise that token');
    await audit('07-token-unknown');
  });

  let beforeRegistering = 0;
  it('registered: the branded message after registering', async () => {
    beforeRegistering = await lastMail();
    await page.goto(`${s.base}/register/${usable}`);
    await fill({ 'First name': 'Zoë', 'Last name': 'Ångström-Øre', 'Email address': 'zoe@example.com' });
    await page.getByLabel('I agree to the terms of use and the privacy notice').check();
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    expect(await page.locator('.selfreg-intro').innerText()).to.contain('Thank you! Check your inbox');
    await audit('08-registered');
  });

  it('set password (the invitation link)', async () => {
    await page.goto(await linkFor('zoe@example.com', beforeRegistering));
    await page.getByRole('heading', { name: 'Set your password' }).waitFor();
    await audit('09-set-password');
    await page.getByLabel('New password').fill('short');
    await page.getByLabel('Repeat the password').fill('different');
    await page.getByRole('button', { name: 'Set password and continue' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await audit('10-set-password-errors');
  });

  it('sign-in confirm (the sign-in link of an existing account)', async () => {
    const staff = s.t.accounts['Staff learner']!;
    const since = await lastMail();
    await page.goto(`${s.base}/register/${usable}`);
    await fill({ 'First name': 'Sam', 'Last name': 'Staff', 'Email address': staff.email });
    await page.getByLabel('I agree to the terms of use and the privacy notice').check();
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    await page.goto(await linkFor(staff.email, since));
    await page.getByRole('button', { name: 'Sign in and continue' }).waitFor();
    await audit('11-sign-in-confirm');
  });

  it('a link that cannot be used', async () => {
    await page.goto(`${s.base}/self-registration/invitation/${'A'.repeat(43)}`);
    await page.getByRole('heading', { name: 'This link can’t be used' }).waitFor();
    await audit('12-link-problem');
  });

  it('no seat left: registration unavailable right now, and whom to contact', async () => {
    const used = Number((await s.knex.raw('select count(*)::int as n from sandbox_users')).rows[0].n);
    await s.knex('sandbox_portal').where({ id: 1 }).update({ seat_limit: used });
    try {
      await page.goto(`${s.base}/register/${usable}`);
      await fill({ 'First name': 'Nell', 'Last name': 'Seatless', 'Email address': 'nell@example.com' });
      await page.getByLabel('I agree to the terms of use and the privacy notice').check();
      await page.getByRole('button', { name: 'Register' }).click();
      await page.getByRole('heading', { name: 'No new accounts right now' }).waitFor();
      expect(await page.locator('a[href^="mailto:"]').textContent()).to.contain(s.t.config.adminEmail);
      await audit('13-no-seats');
    } finally {
      await s.knex('sandbox_portal').where({ id: 1 }).update({ seat_limit: null });
    }
  });

  it('registration switched off for the portal', async () => {
    const settings = s.plugin.container.get<SettingsRepository>(TYPES.SettingsRepository);
    await settings.setPortalEnabled(false);
    try {
      await page.goto(`${s.base}/register/${usable}`);
      await page.getByRole('heading', { name: 'Registration is unavailable' }).waitFor();
      await audit('14-registration-unavailable');
    } finally {
      await settings.setPortalEnabled(true);
    }
  });

  it('the one-click enrolment of a signed-in person', async () => {
    const client = s.t.accounts['Client learner']!;
    await signInThroughForm(page, s.base, client, `/register/${usable}/enrol`);
    await page.getByRole('button', { name: 'Enrol and open' }).waitFor();
    expect(await page.getByLabel('I agree to the terms of use and the privacy notice').count()).to.equal(1);
    await audit('15-one-click-enrol');
    // Not ticked: the page again, the error summarised and linked to the box.
    await page.getByRole('button', { name: 'Enrol and open' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    expect(await page.locator('.selfreg-errors a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).to.deep.equal(['#consent']);
    expect(await page.locator('#consent').getAttribute('aria-describedby')).to.equal('consent-error');
    await audit('15-one-click-enrol-consent-error');
    await page.context().clearCookies();
  });

  it('too many attempts (429)', async () => {
    // Three unknown codes are allowed from one address in this suite; the first was seen above.
    for (const code of ['YYYY-YYYY-YYYY', 'XXXX-XXXX-XXXX']) await page.goto(`${s.base}/register/${code}`);
    const res = await page.goto(`${s.base}/register/${usable}`);
    expect(res!.status()).to.equal(429);
    expect(Number(res!.headers()['retry-after'])).to.be.greaterThan(0);
    await page.getByRole('heading', { name: 'Too many attempts' }).waitFor();
    await audit('16-too-many-attempts');
  });
});
