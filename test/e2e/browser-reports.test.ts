/*
 * The reports in Debian's Chromium: an admin opens the usage report, follows a token to its
 * registrations, filters them by user type and status, and exports them; axe-core finds no serious
 * problem on either page at 1280 and 360 px. Screenshots go to a temporary folder (not committed).
 */
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { auditPage, launchBrowser, needsBrowser, signInThroughForm } from '../support/browser.js';
import { startRegistrationSandbox, type RegistrationSandbox } from './registration-helpers.js';
import { expected, seedRegistrations, type Seeded } from './reports.fixtures.js';
import type { LinkViewsPort } from '../../src/domain/ports/link-views.port.js';
import { TYPES } from '../../src/types.js';

const SHOTS = mkdtempSync(path.join(os.tmpdir(), 'selfreg-report-shots-'));

describe('browser: the usage and registrations reports', function () {
  this.timeout(180_000);
  let s: RegistrationSandbox;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let rows: Seeded[];
  let fairId: string;

  before(async function () {
    needsBrowser(this);
    s = await startRegistrationSandbox({ listen: true, env: { TIME_ZONE: 'Europe/London' } });
    const fair = await s.token(s.items.topic.ref, { nickname: 'Spring fair' });
    const post = await s.token(s.items.article.ref, { nickname: 'Blog post' });
    fairId = fair.id;
    rows = await seedRegistrations(s.knex, [fair, post].map((t) => ({ id: t.id, item: t.item, nickname: t.nickname! })));
    const views = s.plugin.container.get<LinkViewsPort>(TYPES.LinkViews);
    for (let i = 0; i < 40; i++) views.count(fair.id, fair.item, '2026-11-02');
    for (let i = 0; i < 12; i++) views.count(post.id, post.item, '2026-11-03', ['newsletter', 'email', 'spring']);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await signInThroughForm(page, s.base, s.t.accounts['Super admin']!);
  });
  after(async () => {
    await browser?.close();
    await s?.close();
    console.log(`      screenshots: ${SHOTS}`);
  });

  const audit = (name: string): Promise<void> => auditPage(page, { suite: SHOTS, state: name, widths: [1280, 360], height: 900, noOverflowAt: [] });

  it('the usage report shows the funnel per token with its totals, and links each token to its registrations', async () => {
    await page.goto(`${s.base}/admin/self-registration/reports/usage`);
    expect(await page.locator('h1').innerText()).to.equal('Token usage');
    const fairRow = page.locator('tr', { has: page.getByRole('link', { name: 'Spring fair' }) });
    const cells = await fairRow.locator('td.selfreg-num').allInnerTexts();
    const mine = rows.filter((r) => r.tokenId === fairId);
    expect(cells.slice(0, 2)).to.deep.equal(['40', String(mine.length)]);
    const totals = await page.locator('tr.selfreg-totals td.selfreg-num').allInnerTexts();
    expect(totals.slice(0, 2)).to.deep.equal(['52', String(rows.length)]);
    await audit('usage');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Spring fair' }).first().click()]);
    expect(page.url()).to.contain(`/reports/registrations?token=${fairId}`);
  });

  it('the registrations report filters by user type and status, and offers both exports', async () => {
    expect(await page.locator('p.selfreg-note').first().innerText()).to.contain('Registrations through Spring fair');
    await page.selectOption('#selfreg-user-type', 'staff');
    await page.selectOption('#selfreg-report-status', 'activated');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Apply' }).click()]);
    const want = expected(rows, { tokenId: fairId, userType: 'staff', step: 'activated' });
    expect(await page.locator('table.selfreg-report tbody tr').count()).to.equal(want.length);
    expect(await page.locator('p.selfreg-total').innerText()).to.contain(`${want.length} registration`);
    const csv = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(csv).to.contain('userType=staff').and.to.contain('status=activated').and.to.contain('format=csv');
    await audit('registrations-filtered');
    await page.goto(`${s.base}/admin/self-registration/reports/registrations`);
    expect(await page.locator('table.selfreg-report tbody tr').count()).to.equal(Math.min(50, rows.length));
    await audit('registrations-portal');
  });
});
