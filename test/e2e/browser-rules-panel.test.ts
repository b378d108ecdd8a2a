/*
 * The Enrolment rules panel in a real browser (Chromium through playwright-core), on the sandbox:
 * the warning about a self-enrolment item open to everyone, a refused rule form that keeps what was
 * typed, a preview of the rule as typed (nothing saved), the saved rule's dry run (counts and names),
 * Apply and its finished run, switching off and
 * deleting, each with axe on the plugin's markup.
 */
import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import type { TestSandbox } from '../sandbox/helpers.js';
import { expectAccessible, launchBrowser, needsBrowser, signInThroughForm } from '../support/browser.js';
import { startListeningSandbox, type ListeningSandbox } from '../support/listening-sandbox.js';

describe('browser: the Enrolment rules panel with a dry run (Chromium)', function () {
  this.timeout(120_000);
  let t: TestSandbox;
  let listening: ListeningSandbox;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;
  let page: Page;

  before(async function () {
    needsBrowser(this);
    listening = await startListeningSandbox({ env: { TIME_ZONE: 'Europe/London', SEAT_LIMIT: 'unlimited' }, plugin: { outboxPollMs: 60_000 } });
    ({ t, base } = listening);
    await t.knex('sandbox_users').insert(Array.from({ length: 12 }, (_, i) => ({ email: `reader${i}@partner.test`, first_name: 'Reader', last_name: `No${i}`, type: 'prospect', status: 'active' })));
    const everyone = await t.knex('sandbox_items').where({ type: 'topic', origin: 'own' }).orderBy('id').first();
    await t.sandbox.selfEnrolment.setOpenTo({ type: 'topic', id: String(everyone.id) }, ['staff', 'client', 'prospect']);
    browser = await launchBrowser();
    context = browser.context;
    page = await context.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    await signInThroughForm(page, base, t.accounts['Standard admin']!);
  });
  after(async () => {
    await browser?.close();
    await listening?.close();
  });

  it('a Standard admin sees the warning, previews a rule after a refusal, creates it, checks its dry run and applies it', async () => {
    await page.goto(`${base}/admin/portal`);
    const panel = page.locator('#self-registration-rules');
    await expect(await panel.locator('.selfreg-rules-warning').textContent()).to.contain('open to every user type');
    await expectAccessible(page, '#self-registration-rules');

    await panel.locator('summary').click();
    await panel.locator('#rule-name').fill('Partner readers');
    await panel.locator('input[name=domainMode][value=in]').check();
    await panel.locator('#rule-domains').fill('partner.test');
    // No item chosen: refused, with what was typed kept.
    await Promise.all([page.waitForLoadState('load'), panel.locator('button[type=submit]').last().click()]);
    expect(await page.locator('#rule-enrolIn-error').textContent()).to.contain('Choose 1 to 20');
    expect(await page.locator('#rule-name').inputValue()).to.equal('Partner readers');
    expect(await page.locator('#rule-domains').inputValue()).to.equal('partner.test');
    await expectAccessible(page, 'main, .selfreg-admin');
    const options = await page.locator('#rule-enrol-in option').allTextContents();
    const library = options.find((o) => o.includes('library'))!;
    const own = options.find((o) => !o.includes('library') && o.includes('(topic'))!;
    await page.locator('#rule-enrol-in').selectOption([{ label: own }, { label: library }]);
    // Preview first: the dry run of the rule as typed, nothing saved.
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Preview (dry run)' }).click()]);
    expect(await page.locator('.selfreg-rule-preview [data-matched]').getAttribute('data-matched')).to.equal('12');
    expect(await page.locator('.selfreg-rule-preview [data-total]').getAttribute('data-total')).to.equal('24');
    expect(await t.knex('selfreg_enrolment_rules')).to.have.length(0);
    expect(await page.locator('#rule-name').inputValue()).to.equal('Partner readers');
    await expectAccessible(page, 'main, .selfreg-admin');
    await Promise.all([page.waitForURL(/\/rules\/\d+\/dry-run/), page.getByRole('button', { name: 'Create', exact: true }).click()]);

    expect(await page.locator('[data-matched]').getAttribute('data-matched')).to.equal('12');
    expect(await page.locator('[data-total]').getAttribute('data-total')).to.equal('24');
    expect(await page.locator('.selfreg-rule-sample li').count()).to.equal(5);
    expect(await page.locator('.selfreg-rule-sample').textContent()).to.contain('@partner.test');
    await expectAccessible(page, 'main, .selfreg-admin');
    expect(await t.knex('sandbox_enrolments').where({ source_kind: 'rule' })).to.have.length(0);

    await Promise.all([page.waitForURL(/dry-run/), page.getByRole('button', { name: 'Apply to existing users' }).click()]);
    // The page refreshes itself while the run goes on; then it tells what was made.
    await page.getByText(/Applied .*24 enrolments made/).waitFor({ timeout: 30_000 });
    expect(await t.knex('sandbox_enrolments').where({ source_kind: 'rule' })).to.have.length(24);
    expect(await page.locator('[data-total]').getAttribute('data-total')).to.equal('0');
  });

  it('switches the rule off and deletes it, both in the activity log', async () => {
    await page.goto(`${base}/admin/portal`);
    const panel = page.locator('#self-registration-rules');
    expect(await panel.locator('.selfreg-rule').textContent()).to.contain('24 enrolments made');
    await Promise.all([page.waitForLoadState('load'), panel.getByRole('button', { name: /Switch off/ }).click()]);
    expect(await page.locator('#self-registration-rules .selfreg-pill').first().textContent()).to.equal('Off');
    page.once('dialog', (d) => void d.accept());
    await Promise.all([page.waitForLoadState('load'), page.locator('#self-registration-rules').getByRole('button', { name: /Delete/ }).click()]);
    expect(await page.locator('#self-registration-rules .selfreg-empty').textContent()).to.contain('No rules yet');
    const actions = (await t.knex('selfreg_audit_log').where('action', 'like', 'rule.%').orderBy('id')).map((r: { action: string }) => r.action);
    expect(actions).to.deep.equal(['rule.created', 'rule.applied', 'rule.disabled', 'rule.deleted']);
  });
});
