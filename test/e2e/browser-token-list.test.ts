/*
 * An item with many tokens in a real browser (Chromium): the Enrolment panel's compact table with
 * paging and a filter, a batch of codes created from the panel and shown as one row, its printable
 * QR sheet and its deactivation as a whole. Screenshots go to a temporary folder.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { TestSandbox } from '../sandbox/helpers.js';
import { expectAccessible, launchBrowser, needsBrowser, screenshot, signInThroughForm } from '../support/browser.js';
import { startListeningSandbox, type ListeningSandbox } from '../support/listening-sandbox.js';
import { useCases } from './token-management.fixtures.js';
import type { HostUser } from '../../src/domain/shared/user.js';


describe('browser: an item with many tokens and a batch (Chromium)', function () {
  this.timeout(120_000);
  let t: TestSandbox;
  let listening: ListeningSandbox;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let settingsUrl: string;
  const shots = mkdtempSync(path.join(os.tmpdir(), 'selfreg-list-shots-'));
  const shot = (name: string) => screenshot(page, shots, name);

  before(async function () {
    needsBrowser(this);
    listening = await startListeningSandbox({ env: { TIME_ZONE: 'Europe/London' }, plugin: { outboxPollMs: 60_000 } });
    ({ t, base } = listening);
    const topic = await t.knex('sandbox_items').where({ type: 'topic', origin: 'own' }).orderBy('id').first();
    settingsUrl = `${base}/admin/items/topic/${topic.id}/settings`;
    const adminRow = await t.knex('sandbox_users').where({ role: 'super_admin' }).first();
    const admin = { id: String(adminRow.id), email: adminRow.email, firstName: 'Super', lastName: 'Admin', type: 'staff', role: 'super_admin', status: 'active' } as HostUser;
    for (let i = 1; i <= 30; i++) await useCases(t).createToken.execute(admin, { type: 'topic', id: String(topic.id) }, { nickname: `Flyer ${String(i).padStart(2, '0')}` });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    await signInThroughForm(page, base, t.accounts['Super admin']!);
  });
  after(async () => {
    await browser?.close();
    await listening?.close();
    console.log(`      screenshots: ${shots}`);
  });

  const rows = () => page.locator('table.selfreg-item-tokens tbody tr');

  it('30 tokens: a compact table of 25 with a next page, and no cards', async () => {
    await page.goto(settingsUrl);
    expect(await rows().count()).to.equal(25);
    expect(await page.locator('li.selfreg-token').count()).to.equal(0);
    expect(await rows().first().textContent()).to.contain('Flyer 30');
    await shot('1-compact-table');
    await page.click('.selfreg-pager a:has-text("Next")');
    expect(await rows().count()).to.equal(5);
    expect(await rows().last().textContent()).to.contain('Flyer 01');
  });

  it('the filter finds a token by nickname; a handful shows as cards with their edit forms', async () => {
    await page.goto(settingsUrl);
    await page.fill('#selfreg-list-q', 'Flyer 1');
    await Promise.all([page.waitForURL(/=Flyer\+1(&|#|$)/), page.click('.selfreg-list-filter button[type=submit]')]);
    expect(await rows().count()).to.equal(10); // Flyer 10–19
    await page.fill('#selfreg-list-q', 'Flyer 07');
    await Promise.all([page.waitForURL(/=Flyer\+07(&|#|$)/), page.click('.selfreg-list-filter button[type=submit]')]);
    expect(await page.locator('li.selfreg-token').count()).to.equal(1);
    expect(await page.locator('li.selfreg-token details.selfreg-edit').count()).to.equal(1);
    await shot('2-filtered');
  });

  it('a batch created in the panel is one row: its QR sheet prints its codes, and it is deactivated whole', async () => {
    await page.goto(settingsUrl);
    await page.click('details.selfreg-batch-create summary');
    await page.fill('#selfreg-batch-count', '12');
    await page.fill('#selfreg-batch-nickname', 'Open day');
    await Promise.all([page.waitForURL(/selfreg=batchCreated/), page.click('#selfreg-batch button[type=submit]')]);
    const batch = page.locator('tr.selfreg-batch-row');
    expect(await batch.count()).to.equal(1);
    expect(await batch.textContent()).to.contain('Open day').and.contain('12 codes · 0 used · 12 active');
    expect(await rows().count()).to.equal(25); // batch codes are not listed one by one
    await shot('3-batch-row');
    await expectAccessible(page, '#self-registration');
    await page.click('tr.selfreg-batch-row a:has-text("QR sheet")');
    expect(await page.locator('.selfreg-sheet-card svg').count()).to.equal(12);
    await shot('4-qr-sheet');
    await page.goto(settingsUrl);
    await Promise.all([page.waitForURL(/selfreg=batchDisabled/), page.click('tr.selfreg-batch-row .selfreg-batch-toggle')]);
    expect(await page.locator('tr.selfreg-batch-row').textContent()).to.contain('0 active');
    expect(await t.knex('selfreg_tokens').whereNotNull('batch_id').where({ enabled: true })).to.have.length(0);
  });
});
