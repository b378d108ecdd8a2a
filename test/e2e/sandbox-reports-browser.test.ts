/*
 * The sandbox's Reports tab in a real browser (Debian's Chromium through playwright-core), with the
 * plugin loaded from its manifest: an admin opens an item's Reports tab from its Settings tab,
 * filters by user type, moves between the four reports with the filter kept, downloads the CSV of
 * what is shown, and sees a learner's work in the browser appear in the progress and answers reports.
 * axe-core finds no serious or critical violation at 1280 and 360 px. Screenshots go to a temp dir.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import type { TestSandbox } from '../sandbox/helpers.js';
import { parseCsv } from '../sandbox/reports/report-support.js';
import { auditPage, launchBrowser, needsBrowser, screenshot, signInThroughForm } from '../support/browser.js';
import { startListeningSandbox, type ListeningSandbox } from '../support/listening-sandbox.js';

const SHOTS = mkdtempSync(path.join(os.tmpdir(), 'sandbox-reports-shots-'));

describe('browser: the sandbox item Reports tab (Chromium)', function () {
  this.timeout(120_000);
  let t: TestSandbox;
  let listening: ListeningSandbox;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;
  let page: Page;
  let topicId: number;

  const signInAs = (label: string): Promise<void> => signInThroughForm(page, base, t.accounts[label]!);

  async function signOut(): Promise<void> {
    await Promise.all([page.waitForURL(/\/login$/), page.getByRole('button', { name: 'Sign out' }).click()]);
  }

  /** axe-core on the whole page at both widths, with a screenshot of each. */
  const audit = (name: string): Promise<void> => auditPage(page, { suite: SHOTS, state: name, widths: [1280, 360], height: 900, noOverflowAt: [] });

  const names = async (): Promise<string[]> => page.locator('table.report-table tbody tr td:first-child').allTextContents();

  before(async function () {
    needsBrowser(this);
    listening = await startListeningSandbox({ env: { TIME_ZONE: 'Europe/London' }, plugin: { outboxPollMs: 100 } });
    ({ t, base } = listening);
    topicId = (await t.knex('sandbox_items').where({ title: 'Customer onboarding essentials' }).first('id')).id;
    browser = await launchBrowser();
    context = browser.context;
    page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
  });
  after(async () => {
    await browser?.close();
    await listening?.close();
    console.log(`      screenshots: ${SHOTS}`);
  });

  it('opens the Reports tab beside Content and Settings, on the logins report of every learner', async () => {
    await signInAs('Super admin');
    await page.goto(`${base}/admin/items/topic/${topicId}/settings`);
    await Promise.all([page.waitForURL(`${base}/admin/items/topic/${topicId}/reports/logins`), page.getByRole('navigation', { name: 'Item' }).getByRole('link', { name: 'Reports' }).click()]);
    expect(await page.getByRole('heading', { level: 2, name: 'Logins' }).count()).to.equal(1);
    expect(await page.locator('table.report-table thead th').allTextContents()).to.include.members(['Name', 'Email', 'User type', 'Sign-ins', 'Last sign-in']);
    expect(await names()).to.have.length(9);
    expect(await page.getByText('Times are in Europe/London').count()).to.equal(1);
    await audit('1-logins-all');
  });

  it('filters by user type and keeps the filter across the four reports', async () => {
    await page.getByLabel('User type').selectOption('client');
    await Promise.all([page.waitForURL(/userType=client/), page.getByRole('button', { name: 'Apply' }).click()]);
    expect(await names()).to.deep.equal(['Lena Novak', 'Marco Rossi', 'Hana Sato']);
    await Promise.all([page.waitForURL(/\/reports\/outcomes\?userType=client/), page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'Outcomes' }).click()]);
    expect(await names()).to.deep.equal(['Lena Novak', 'Marco Rossi', 'Hana Sato']);
    expect(await page.locator('table.report-table tbody').textContent()).to.contain('Failed').and.to.contain('Passed');
    await audit('2-outcomes-client');
    await page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'Answers' }).click();
    await page.waitForURL(/\/reports\/answers\?userType=client/);
    expect(await names()).to.have.length(6);
    await audit('3-answers-client');
  });

  it('downloads exactly what the screen shows as CSV, plain and for Excel', async () => {
    const shown = await names();
    const [plain] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    expect(plain.suggestedFilename()).to.match(new RegExp(`^answers-topic-${topicId}-customer-onboarding-essentials-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const rows = parseCsv(readFileSync((await plain.path())!, 'utf8'));
    expect(rows[0]!.slice(0, 3)).to.deep.equal(['Name', 'Email', 'User type']);
    expect(rows.slice(1).map((r) => r[0])).to.deep.equal(shown);
    const [excel] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV for Excel' }).click()]);
    const bytes = readFileSync((await excel.path())!);
    expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    expect(parseCsv(bytes.subarray(3).toString('utf8')).slice(1).map((r) => r[0])).to.deep.equal(shown);
  });

  it('shows a learner\'s lessons and quiz, worked through in the browser, in the reports', async () => {
    await signOut();
    await signInAs('Staff learner');
    // Sam reaches the topic through the New starter pathway.
    await page.goto(`${base}/items/topic/${topicId}`);
    await audit('4-learner-topic');
    for (const n of [1, 2, 3]) {
      await Promise.all([page.waitForURL(/saved=lesson/), page.getByRole('button', { name: `Mark lesson ${n} as done` }).click()]);
    }
    await page.getByRole('group', { name: /When should the first call happen/ }).getByLabel('Within one working day').check();
    await page.getByRole('group', { name: /What do you agree on the first call/ }).getByLabel('What success looks like').check();
    await page.getByRole('group', { name: /When is the check-in/ }).getByLabel('After one day').check();
    await Promise.all([page.waitForURL(/saved=quiz/), page.getByRole('button', { name: 'Send answers' }).click()]);
    expect(await page.getByText('100% · Completed · Passed (score 67%)').count()).to.equal(1);
    await screenshot(page, SHOTS, '5-learner-passed');
    await signOut();
    await signInAs('Standard admin');
    await page.goto(`${base}/admin/items/topic/${topicId}/reports/progress?userType=staff`);
    expect(await names()).to.deep.equal(['Tom Evans', 'Aisha Khan', 'Priya Shah', 'Sam Staff']);
    expect(await page.locator('table.report-table tbody tr').last().textContent()).to.contain('Completed').and.to.contain('100');
    await page.goto(`${base}/admin/items/topic/${topicId}/reports/answers?userType=staff`);
    const cells = await page.locator('table.report-table tbody tr').last().locator('td').allTextContents();
    expect(cells.slice(0, 6)).to.deep.equal(['Sam Staff', 'sam.staff@example.com', 'Staff', 'When is the check-in?', 'After one day', 'No']);
    await audit('6-answers-staff');
  });
});
