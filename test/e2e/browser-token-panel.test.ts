/*
 * The Enrolment panel in a real browser (Debian's Chromium through playwright-core), against the
 * sandbox on a loopback port with the plugin loaded from its manifest: create a token, copy its
 * link, edit it, deactivate, reactivate and delete it (through the confirmation page), then the
 * portal-wide Tokens page and the portal panel. Screenshots land in test-artifacts/token-panel/.
 */
import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import type { TestSandbox } from '../sandbox/helpers.js';
import { expectAccessible, launchBrowser, needsBrowser, screenshot, signInThroughForm } from '../support/browser.js';
import { startListeningSandbox, type ListeningSandbox } from '../support/listening-sandbox.js';

const SUITE = 'token-panel';

describe('browser: managing a token in the Enrolment panel (Chromium)', function () {
  this.timeout(120_000);
  let t: TestSandbox;
  let listening: ListeningSandbox;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;
  let page: Page;
  let settingsUrl: string;
  const nextYear = new Date().getUTCFullYear() + 1;

  before(async function () {
    needsBrowser(this);
    listening = await startListeningSandbox({ env: { TIME_ZONE: 'Europe/London' }, plugin: { outboxPollMs: 100 } });
    ({ t, base } = listening);
    browser = await launchBrowser();
    context = browser.context;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    page = await context.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    await signInThroughForm(page, base, t.accounts['Super admin']!);
    const topic = await t.knex('sandbox_items').where({ type: 'topic', origin: 'own' }).orderBy('id').first();
    settingsUrl = `${base}/admin/items/topic/${topic.id}/settings`;
  });
  after(async () => {
    await browser?.close();
    await listening?.close();
  });

  const panel = () => page.locator('#self-registration');
  const card = () => panel().locator('li.selfreg-token').first();

  it('creates a token with a nickname, an expiry date and max uses', async () => {
    await page.goto(settingsUrl);
    await panel().getByText('No tokens yet').waitFor();
    await screenshot(page, SUITE, '1-empty-panel');
    await page.fill('#selfreg-nickname', 'Spring newsletter');
    await page.fill('#selfreg-expiresOn', `${nextYear}-06-30`);
    await page.fill('#selfreg-maxUses', '50');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByText('Token created.').waitFor();
    expect(await card().locator('.selfreg-nickname').textContent()).to.equal('Spring newsletter');
    expect(await card().locator('.selfreg-status').textContent()).to.equal('Active');
    expect(await card().textContent()).to.contain('0 of 50').and.to.contain(`End of 30 Jun ${nextYear}`);
    expect(await card().textContent()).to.contain('by Alex Admin');
    await screenshot(page, SUITE, '2-token-created');
    await expectAccessible(page, '#self-registration');
  });

  it('refuses a custom code that is too short, keeping what was typed', async () => {
    await page.fill('#selfreg-nickname', 'Typed nickname');
    await page.fill('#selfreg-custom', 'ABC');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.locator('#selfreg-create .selfreg-field-error').waitFor();
    expect(await page.locator('#selfreg-create .selfreg-field-error').textContent()).to.equal('A custom code needs at least 8 letters or digits.');
    expect(await page.inputValue('#selfreg-nickname')).to.equal('Typed nickname');
    expect(await page.inputValue('#selfreg-custom')).to.equal('ABC');
    await screenshot(page, SUITE, '3-create-error');
    await expectAccessible(page, '#self-registration');
    expect(await panel().locator('li.selfreg-token').count()).to.equal(1);
  });

  it('copies the deep link to the clipboard with one click', async () => {
    const button = card().locator('button.selfreg-copy');
    const expected = (await button.getAttribute('data-copy'))!;
    expect(expected).to.match(new RegExp(`^${base}/register/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$`));
    await page.evaluate("navigator.clipboard.writeText('something else')");
    await button.click();
    await card().getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).to.equal(expected);
    await screenshot(page, SUITE, '4-link-copied');
  });

  it('offers the QR code as PNG and SVG downloads', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), card().locator('a.selfreg-qr-png').click()]);
    expect(download.suggestedFilename()).to.equal('token-spring-newsletter-qr.png');
    const [svg] = await Promise.all([page.waitForEvent('download'), card().locator('a.selfreg-qr-svg').click()]);
    expect(svg.suggestedFilename()).to.equal('token-spring-newsletter-qr.svg');
  });

  it('edits the max uses', async () => {
    await page.goto(settingsUrl);
    await card().locator('summary').click();
    const maxUses = card().getByLabel(/Max uses/);
    expect(await maxUses.inputValue()).to.equal('50');
    await maxUses.fill('100');
    await screenshot(page, SUITE, '5-editing');
    await card().getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changes saved.').waitFor();
    expect(await card().textContent()).to.contain('0 of 100');
  });

  it('deactivates the token: the panel and the deep link say it is disabled', async () => {
    await card().getByRole('button', { name: 'Deactivate' }).click();
    await page.getByText('Token deactivated.', { exact: false }).waitFor();
    expect(await card().locator('.selfreg-status').textContent()).to.equal('Disabled');
    await screenshot(page, SUITE, '6-deactivated');
    const link = (await card().locator('button.selfreg-copy').getAttribute('data-copy'))!;
    const visitor = await context.newPage();
    await visitor.goto(link);
    expect(await visitor.content()).to.contain('This token is currently disabled');
    await visitor.close();
  });

  it('reactivates it', async () => {
    await card().getByRole('button', { name: 'Reactivate' }).click();
    await page.getByText('Token reactivated.').waitFor();
    expect(await card().locator('.selfreg-status').textContent()).to.equal('Active');
  });

  it('deletes it after a confirmation page that says it cannot be undone', async () => {
    await card().getByRole('link', { name: 'Delete…' }).click();
    await page.getByRole('heading', { name: 'Delete this token?' }).waitFor();
    expect(await page.locator('.selfreg-danger-zone').textContent()).to.contain('This cannot be undone.');
    expect(await page.locator('.selfreg-summary').textContent()).to.contain('Spring newsletter');
    await screenshot(page, SUITE, '7-confirm-delete');
    await expectAccessible(page, 'body');
    await page.getByRole('button', { name: 'Delete token permanently' }).click();
    await page.getByText('Token deleted.', { exact: false }).waitFor();
    expect(page.url()).to.match(new RegExp(`^${settingsUrl}\\?selfreg=deleted#self-registration$`));
    expect(await panel().locator('li.selfreg-token').count()).to.equal(0);
    const activity = (await panel().locator('.selfreg-audit li').allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
    expect(activity).to.have.length(5);
    expect(activity[0]).to.contain('Alex Admin deleted “Spring newsletter”');
    expect(activity[1]).to.contain('reactivated “Spring newsletter”');
    expect(activity[2]).to.contain('deactivated “Spring newsletter”');
    expect(activity[3]).to.contain('changed max uses of “Spring newsletter” from 50 to 100');
    expect(activity[4]).to.contain('created “Spring newsletter”');
    await screenshot(page, SUITE, '8-deleted');
    expect(await t.knex('selfreg_tokens').count({ n: '*' }).first().then((r) => Number(r!.n))).to.equal(0);
  });

  it('the portal-wide Tokens page lists, filters and links back to the item', async () => {
    await page.goto(settingsUrl);
    for (const name of ['Website footer', 'Partner fair']) {
      await page.fill('#selfreg-nickname', name);
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.getByText('Token created.').waitFor();
    }
    await card().getByRole('button', { name: 'Deactivate' }).click();
    await page.getByText('Token deactivated.', { exact: false }).waitFor();
    await panel().getByRole('link', { name: /All tokens/ }).click();
    await page.getByRole('heading', { name: 'Self-registration tokens' }).waitFor();
    expect(await page.locator('tbody tr').count()).to.equal(2);
    await page.goto(`${base}/admin/self-registration/tokens`);
    await page.selectOption('#selfreg-status', 'disabled');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('1 token').first().waitFor();
    expect(await page.locator('tbody tr').first().textContent()).to.contain('Partner fair');
    await page.goto(`${base}/admin/self-registration/tokens`);
    await screenshot(page, SUITE, '9-tokens-page');
    await expectAccessible(page, 'body');
    await page.locator('tbody tr').first().getByRole('link').first().click();
    await page.waitForURL(/\/admin\/items\/topic\/\d+\/settings#self-registration$/);
  });

  it('the portal panel: the switch and API keys (Super admin)', async () => {
    await page.goto(`${base}/admin/portal`);
    const portalPanel = page.locator('#self-registration-portal');
    await portalPanel.getByText('Self-registration is on').waitFor();
    await page.fill('#selfreg-key-name', 'CRM sync');
    await page.getByRole('button', { name: 'Create API key' }).click();
    await page.getByRole('heading', { name: 'API key created' }).waitFor();
    const key = await page.inputValue('.selfreg-key-value');
    expect(key).to.match(/^srk_[A-Za-z0-9_-]{43}$/);
    await screenshot(page, SUITE, '10-api-key-created');
    await page.getByRole('link', { name: 'Back to portal settings' }).click();
    // Switching off asks first: dismissed, nothing changes; accepted, the portal is off.
    const asked: string[] = [];
    page.once('dialog', (d) => void (asked.push(d.message()), d.dismiss()));
    await portalPanel.getByRole('button', { name: 'Switch self-registration off' }).click();
    expect(asked[0]).to.contain('for the whole portal');
    expect(await portalPanel.textContent()).to.contain('Self-registration is on');
    page.once('dialog', (d) => void d.accept());
    await portalPanel.getByRole('button', { name: 'Switch self-registration off' }).click();
    await page.getByText('Self-registration is now off', { exact: false }).waitFor();
    expect(await portalPanel.textContent()).to.contain('CRM sync').and.not.to.contain(key);
    await screenshot(page, SUITE, '11-portal-panel-off');
    await expectAccessible(page, '#self-registration-portal');
    await page.goto(settingsUrl);
    await panel().getByText('Self-registration is switched off for this portal', { exact: false }).waitFor();
    await screenshot(page, SUITE, '12-panel-portal-off');
    await panel().getByRole('link', { name: 'Portal settings' }).click();
    await page.waitForURL(`${base}/admin/portal`);
  });
});
