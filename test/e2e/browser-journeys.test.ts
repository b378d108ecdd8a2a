/*
 * Registrant journeys in Debian's Chromium at 360 px (a small phone), through the sandbox host with
 * the real plugin: every page on the way has no sideways scrolling, and axe-core finds no serious or
 * critical problem on the pages these journeys added or changed — a token that can no longer be
 * used, "check your inbox" with its address and "Send it again", the no-seat page, dead links, an
 * emailed link whose token closed meanwhile, the one-click page and "Open <item>".
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { expectAccessible, launchBrowser, needsBrowser, screenshot, sidewaysOverflow, signInThroughForm } from '../support/browser.js';
import { NO_LIMITS, startRegistrationSandbox, type RegistrationSandbox } from './registration-helpers.js';

const SUITE = 'journeys-360';
const LONG_EMAIL = 'ada.lovelace.with.a.rather.long.address@analytical-engines.example.com';

describe('browser: registrant journeys at 360 px, with axe-core (Chromium)', function () {
  this.timeout(240_000);
  let s: RegistrationSandbox;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let usable: string;

  before(async function () {
    needsBrowser(this);
    s = await startRegistrationSandbox({ listen: true, options: NO_LIMITS });
    usable = (await s.token(s.items.topic.ref, { nickname: 'Journeys' })).code!;
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  /** No sideways scrolling, and (for a new or changed page) no serious or critical axe violation. */
  async function check(state: string, axe = true): Promise<void> {
    await page.waitForLoadState('load');
    const overflow = await sidewaysOverflow(page);
    await screenshot(page, SUITE, state);
    expect(overflow, `${state} scrolls sideways at 360 px`).to.equal(0);
    if (axe) await expectAccessible(page, undefined, state);
  }

  async function register(path: string, email: string, token?: string): Promise<void> {
    await page.goto(`${s.base}${path}`);
    await page.getByLabel('First name', { exact: true }).fill('Ada');
    await page.getByLabel('Last name', { exact: true }).fill('Lovelace');
    await page.getByLabel('Email address', { exact: true }).fill(email);
    if (token) await page.getByLabel('Token', { exact: true }).fill(token);
    await page.getByRole('button', { name: 'Register' }).click();
  }

  const lastMail = async (): Promise<number> => Number((await s.knex('sandbox_mailbox').max<{ id: number }[]>({ id: 'id' }).first())?.id ?? 0);
  /** The emailed link in the newest mail to `to` after mail id `since` (waits for the outbox). */
  async function linkFor(to: string, since: number): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const row = await s.knex('sandbox_mailbox').where({ to }).andWhere('id', '>', since).orderBy('id', 'desc').first();
      const link = row && /https?:\/\/\S+\/self-registration\/(?:invitation|sign-in)\/[A-Za-z0-9_-]+/.exec(String(row.text))?.[0];
      if (link) return link;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no mail to ${to}`);
  }

  it('a token that can no longer be used: why, whom to ask, no form; posted, the field names the contact', async () => {
    const disabled = await s.token(s.items.article.ref, { enabled: false });
    await page.goto(`${s.base}/register/${disabled.code}`);
    await page.getByRole('heading', { name: 'This token can’t be used' }).waitFor();
    expect(await page.locator('form').count()).to.equal(0);
    expect(await page.locator(`a[href="mailto:${s.t.config.adminEmail}"]`).count()).to.equal(1);
    await check('token-disabled');
    const usedUp = await s.token(s.items.article.ref, { maxUses: 1, uses: 1 });
    await register('/register', 'late.comer@example.com', usedUp.code!);
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    expect(await page.locator('#token-error').innerText()).to.contain(`Please contact Acme Learning (${s.t.config.adminEmail})`);
    await check('token-used-up-posted');
  });

  it('check your inbox names a long address without scrolling, and "Send it again" sends a fresh invitation', async () => {
    const since = await lastMail();
    await register(`/register/${usable}`, LONG_EMAIL);
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    expect(await page.locator('.selfreg-address').innerText()).to.equal(LONG_EMAIL);
    await check('check-your-inbox');
    const first = await linkFor(LONG_EMAIL, since);
    const mark = await lastMail();
    await page.getByRole('button', { name: 'Send it again' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    const second = await linkFor(LONG_EMAIL, mark);
    expect(second).not.to.equal(first);
    await check('check-your-inbox-again', false);

    // The first invitation was replaced; the second sets the password; used again, it points to sign-in.
    await page.goto(first);
    await page.getByRole('heading', { name: 'This link can’t be used' }).waitFor();
    await check('link-replaced');
    await page.goto(second);
    await page.getByLabel('New password', { exact: true }).fill('a long enough password');
    await page.getByLabel('Repeat the password', { exact: true }).fill('a long enough password');
    await Promise.all([page.waitForURL(new RegExp(`/items/topic/${s.items.topic.id}$`)), page.getByRole('button', { name: 'Set password and continue' }).click()]);
    await check('invitation-accepted', false);
    await browser.context.clearCookies();
    await page.goto(second);
    expect(await page.getByRole('link', { name: 'Sign in' }).getAttribute('href')).to.equal('/login?returnTo=%2F');
    await check('link-used');
  });

  it('an expired invitation offers its token’s form, filled in', async () => {
    const email = 'expired.browser@example.com';
    const since = await lastMail();
    await register(`/register/${usable}`, email);
    const link = await linkFor(email, since);
    const user = await s.knex('sandbox_users').where({ email }).first();
    await s.knex('selfreg_email_links').where({ user_id: String(user.id) }).update({ expires_at: new Date(Date.now() - 1000) });
    await page.goto(link);
    await check('link-expired');
    await page.getByRole('link', { name: 'Register again' }).click();
    expect(await page.getByLabel('Token', { exact: true }).inputValue()).to.equal(usable);
  });

  it('no seat left: the page is true for a new person and for an existing account alike', async () => {
    const used = Number((await s.knex('sandbox_users').count({ n: '*' }).first())?.n);
    await s.knex('sandbox_portal').where({ id: 1 }).update({ seat_limit: used });
    try {
      await register(`/register/${usable}`, 'no.place.left@example.com');
      await page.getByRole('heading', { name: 'No new accounts right now' }).waitFor();
      await check('no-seats');
    } finally {
      await s.knex('sandbox_portal').where({ id: 1 }).update({ seat_limit: null });
    }
  });

  it('a sign-in link whose token was used up meanwhile signs in and says why on the plugin’s page', async () => {
    const email = 'race.browser@example.com';
    await s.knex('sandbox_users').insert({ email, first_name: 'Race', last_name: 'Browser', type: 'client', role: null, status: 'active', created_at: new Date() });
    const token = await s.token(s.items.pathway.ref, { nickname: 'Race', maxUses: 1 });
    const since = await lastMail();
    await register(`/register/${token.code}`, email);
    const link = await linkFor(email, since);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await check('sign-in-confirm', false);
    await s.setToken(token.id, { uses: 1 });
    // Opened again, the confirm page says the token closed instead of promising the item.
    await page.reload();
    await page.locator('.selfreg-notice').waitFor();
    await check('sign-in-confirm-closed');
    await page.getByRole('button', { name: 'Sign in and continue' }).click();
    await page.getByRole('heading', { name: 'You’re signed in, but not enrolled' }).waitFor();
    expect(await page.locator('main').innerText()).to.contain('reached its limit of registrations since we emailed you');
    await check('signed-in-not-enrolled');
    await browser.context.clearCookies();
  });

  it('signed in: the one-click page links to another account’s way in; enrolled already, the deep link offers "Open <item>"', async () => {
    const client = s.t.accounts['Client learner']!;
    await signInThroughForm(page, s.base, client);
    const article = await s.token(s.items.article.ref, { nickname: 'One click' });
    await page.goto(`${s.base}/register/${article.code}/enrol`);
    expect(await page.getByRole('link', { name: 'Register with another email address instead' }).getAttribute('href')).to.equal(`/register/${article.code}`);
    await check('one-click');
    const user = await s.knex('sandbox_users').where({ email: client.email }).first();
    await s.t.sandbox.host.enrolments.enrol(String(user.id), s.items.topic.ref);
    await page.goto(`${s.base}/register/${usable}`);
    await page.getByRole('heading', { name: 'You’re already enrolled' }).waitFor();
    await check('already-enrolled');
    await Promise.all([page.waitForURL(new RegExp(`/items/topic/${s.items.topic.id}$`)), page.getByRole('link', { name: `Open ${s.items.topic.title}` }).click()]);
    await check('item-opened', false);
  });
});
