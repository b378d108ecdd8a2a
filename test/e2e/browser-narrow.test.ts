/*
 * Every page a person meets, at 360 px wide (a small phone): nothing scrolls sideways. Admin pages
 * with many tokens (cards and the compact table), the API keys, the reports, the sandbox's items (their
 * enrolments), catalogue, users and mailbox, and the public registration pages.
 */
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { TestSandbox } from '../sandbox/helpers.js';
import { launchBrowser, needsBrowser, screenshot, sidewaysOverflow, signInThroughForm } from '../support/browser.js';
import { startListeningSandbox, type ListeningSandbox } from '../support/listening-sandbox.js';
import { signIn } from '../support/sign-in.js';
import { createApiKey } from './token-management.fixtures.js';

const SUITE = 'narrow-360';

describe('browser: every page at 360 px has no sideways scrolling (Chromium)', function () {
  this.timeout(180_000);
  let t: TestSandbox;
  let listening: ListeningSandbox;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let topic: { id: number; type: string };
  let userId = 0;
  let code = '';

  before(async function () {
    needsBrowser(this);
    listening = await startListeningSandbox({ plugin: { outboxPollMs: 100, rateLimitIp: 'off', rateLimitUnknownCode: 'off', rateLimitEmail: 'off', rateLimitToken: 'off' } });
    ({ t, base } = listening);
    const admin = await signIn(t, 'Super admin');
    await createApiKey(admin, 'A key with a rather long name for a narrow screen');
    topic = await t.knex('sandbox_items').where({ type: 'topic', origin: 'own' }).orderBy('id').first();
    userId = (await t.knex('sandbox_users').where({ email: t.accounts['Client learner']!.email }).first('id')).id;
    const settings = `/admin/items/topic/${topic.id}/settings`;
    // Two tokens show as cards on one item; 8 on another make the compact table.
    for (const [n, nickname] of ['Spring open day at the Riverside campus, main hall', 'Newsletter'].entries()) {
      await admin.agent.post(`/admin/self-registration/items/topic/${topic.id}/tokens`).type('form').send({ _csrf: admin.csrf, returnTo: settings, nickname, maxUses: String(n + 1), customCode: n === 0 ? 'RIVERSIDE-OPEN-DAY-2027-MAIN-HALL' : '' });
    }
    code = 'RIVERSIDE-OPEN-DAY-2027-MAIN-HALL';
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${base}/register/${code}`);
    await page.fill('input[name=firstName]', 'Ada');
    await page.fill('input[name=lastName]', 'Lovelace');
    await page.fill('input[name=email]', 'ada.lovelace.with.a.long.address@example.com');
    await page.click('button[type=submit]');
    await signInThroughForm(page, base, t.accounts['Super admin']!);
  });
  after(async () => {
    await browser?.close();
    await listening?.close();
  });

  const overflow = () => sidewaysOverflow(page);
  /** The outermost elements reaching past the screen's edge, to say what is too wide. */
  const culprits = () => page.evaluate(`(() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1)) {
        out.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' ' + Math.round(r.width) + 'px');
      }
      if (out.length >= 4) break;
    }
    return out.join(', ');
  })()`) as Promise<string>;

  const pages = () => [
    ['dashboard', '/'],
    ['items', '/admin/items'],
    ['item-settings', `/admin/items/topic/${topic.id}/settings`],
    ['item-page', `/items/topic/${topic.id}`],
    ['item-enrolments', `/admin/items/topic/${topic.id}/enrolments`],
    ['catalogue', '/catalogue'],
    ['users', '/admin/users'],
    ['user', `/admin/users/${userId}`],
    ['portal', '/admin/portal'],
    ['tokens', '/admin/self-registration/tokens'],
    ['activity', '/admin/self-registration/tokens/activity'],
    ['registrations-report', '/admin/self-registration/reports/registrations'],
    ['usage-report', '/admin/self-registration/reports/usage'],
    ['mailbox', '/mailbox'],
    ['register', `/register/${code}`],
  ];

  it('no page is wider than the screen', async () => {
    const wide: string[] = [];
    for (const [name, path] of pages()) {
      await page.goto(`${base}${path}`);
      const extra = await overflow();
      await screenshot(page, SUITE, name!);
      if (extra > 0) wide.push(`${name} (${path}) is ${extra} px too wide: ${await culprits()}`);
    }
    const message = await page.goto(`${base}/mailbox`).then(() => page.locator('a[href^="/mailbox/"]').first().getAttribute('href'));
    if (message) {
      await page.goto(`${base}${message}`);
      const frame = await page.locator('iframe.mail-html').boundingBox();
      if ((await overflow()) > 0) wide.push(`mailbox message (${message}) is too wide`);
      if (frame && frame.width > 360) wide.push(`the mail frame is ${frame.width} px wide`);
      // The HTML part is really there to read, under the sandbox's CSP.
      const mail = page.frames().find((f) => f !== page.mainFrame());
      expect(await mail?.locator('body').innerText()).to.contain('Hello Ada');
      await screenshot(page, SUITE, 'mailbox-message');
    }
    expect(wide).to.deep.equal([]);
  });
});
