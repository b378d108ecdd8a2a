/*
 * The Webhooks panel in a real browser (Chromium through playwright-core), against the sandbox on a
 * loopback port: a Super admin adds an endpoint (its secret page shown once), a registration reaches
 * the verifying receiver, the delivery log shows it with its body; axe-core finds no serious
 * violation in the panel or the secret page, and at 360 px nothing scrolls sideways.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import type { Page } from 'playwright-core';
import type { TestSandbox } from '../sandbox/helpers.js';
import { expectAccessible, launchBrowser, needsBrowser, screenshot, sidewaysOverflow, signInThroughForm } from '../support/browser.js';
import { startListeningSandbox, type ListeningSandbox } from '../support/listening-sandbox.js';
import { until } from '../support/mail-support.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { seedToken } from './mail-e2e-support.js';

const SUITE = 'webhooks';

describe('browser: the Webhooks panel (Chromium)', function () {
  this.timeout(120_000);
  let t: TestSandbox;
  let listening: ListeningSandbox;
  let base = '';
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let code = '';
  const receiver = new WebhookReceiver();

  before(async function () {
    needsBrowser(this);
    await receiver.start();
    listening = await startListeningSandbox({ plugin: { outboxPollMs: 50, webhookNetwork: 'loopback' } });
    ({ t, base } = listening);
    const topic = await t.knex('sandbox_items').where({ type: 'topic', origin: 'own' }).orderBy('id').first();
    code = await seedToken(t, { type: 'topic', id: String(topic.id) }, 'HOOK-BROWSER-CODE-1', 'Open day');
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await signInThroughForm(page, base, t.accounts['Super admin']!);
  });
  after(async () => {
    await browser?.close();
    await listening?.close();
    await receiver.stop();
  });

  it('adds an endpoint: the secret page is shown once and accessible; a registration shows in the delivery log', async () => {
    await page.goto(`${base}/admin/portal`);
    await expectAccessible(page, '#self-registration-webhooks');
    await page.fill('#selfreg-webhook-url-new', receiver.url);
    await page.fill('#selfreg-webhook-desc-new', 'CRM leads');
    await page.check('input[name=events][value="registration.activated"]');
    await page.click('#self-registration-webhooks form.selfreg-form button[type=submit]');
    const secret = await page.locator('input.selfreg-key-value').inputValue();
    expect(secret).to.match(/^whsec_/);
    receiver.secrets = [secret];
    await expectAccessible(page, 'main, body');
    await screenshot(page, SUITE, 'secret');
    await page.click('a.selfreg-btn-secondary');
    expect(await page.locator('#self-registration-webhooks').textContent()).to.contain('CRM leads').and.not.to.contain(secret);

    await supertest(t.sandbox.app).post('/register').type('form').send({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', token: code }).expect(200);
    await until(() => receiver.delivered('registration.created').length === 1, 10_000, 'the delivery');
    expect(receiver.received[0]!.verifiedWith).to.deep.equal([true]);
    await until(async () => (await t.knex('selfreg_webhook_deliveries').first()).status === 'delivered', 10_000, 'recorded');
    await page.goto(`${base}/admin/portal`);
    const row = page.locator('tr[data-status="delivered"]').first();
    expect(await row.textContent()).to.contain('registration.created').and.to.contain('200');
    await row.locator('summary').click();
    expect(await row.locator('pre').textContent()).to.contain('ada@example.com');
    await expectAccessible(page, '#self-registration-webhooks');
    await screenshot(page, SUITE, 'panel');
  });

  it('at 360 px the panel (with its log open) does not scroll sideways', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${base}/admin/portal`);
    await page.locator('tr[data-status="delivered"] summary').first().click();
    await page.locator('.selfreg-webhook details summary').first().click();
    const extra = await sidewaysOverflow(page);
    await screenshot(page, SUITE, 'panel-360');
    expect(extra).to.equal(0);
  });
});
