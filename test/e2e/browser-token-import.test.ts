/*
 * A bulk upload in a real browser (Debian's Chromium through playwright-core) against the sandbox on
 * a loopback port: the Tokens page's template and file input, a dry run with an error, the fixed
 * file's dry run, the apply, and the tokens on the page. Screenshots go to a temporary folder.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { TestSandbox } from '../sandbox/helpers.js';
import { launchBrowser, needsBrowser, screenshot, signInThroughForm } from '../support/browser.js';
import { startListeningSandbox, type ListeningSandbox } from '../support/listening-sandbox.js';

describe('browser: a bulk upload on the Tokens page (Chromium)', function () {
  this.timeout(120_000);
  let t: TestSandbox;
  let listening: ListeningSandbox;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let topicId: string;
  const shots = mkdtempSync(path.join(os.tmpdir(), 'selfreg-import-shots-'));
  const files = mkdtempSync(path.join(os.tmpdir(), 'selfreg-import-files-'));
  const year = new Date().getUTCFullYear() + 1;
  const shot = (name: string) => screenshot(page, shots, name);

  before(async function () {
    needsBrowser(this);
    listening = await startListeningSandbox({ env: { TIME_ZONE: 'Europe/London' }, plugin: { outboxPollMs: 60_000 } });
    ({ t, base } = listening);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    await signInThroughForm(page, base, t.accounts['Super admin']!);
    topicId = String((await t.knex('sandbox_items').where({ type: 'topic', origin: 'own' }).orderBy('id').first()).id);
  });
  after(async () => {
    await browser?.close();
    await listening?.close();
    console.log(`      screenshots: ${shots}`);
  });

  const upload = async (name: string, csv: string) => {
    const file = path.join(files, name);
    writeFileSync(file, csv);
    await page.goto(`${base}/admin/self-registration/tokens`);
    await page.setInputFiles('#selfreg-file', file);
    await page.click('.selfreg-upload button[type=submit]');
  };

  it('a file with a bad row: the dry run shows counts and the row’s reason, and offers no apply', async () => {
    await upload('march.csv', `itemType,itemId,nickname,expiresOn,maxUses\ntopic,${topicId},March fair,${year}-03-31,50\ntopic,${topicId},Old flyer,2001-01-01,\n`);
    await page.waitForURL(/\/tokens\/imports\/\d+$/);
    expect(await page.textContent('[data-count=create]')).to.equal('1');
    expect(await page.textContent('[data-count=error]')).to.equal('1');
    expect(await page.textContent('.selfreg-import-row-error')).to.contain('That date has already passed');
    expect(await page.locator('#selfreg-apply').count()).to.equal(0);
    await shot('1-dry-run-with-error');
    expect(await t.knex('selfreg_tokens')).to.have.length(0);
  });

  it('a file that is not CSV gets a message naming the line, on the Tokens page', async () => {
    await upload('semicolons.csv', `itemType;itemId;nickname\ntopic;${topicId};A\n`);
    await page.waitForSelector('.selfreg-upload-error:not([hidden])');
    expect(await page.textContent('.selfreg-upload-error')).to.match(/^Line 1: the columns are separated by “;”/);
    await shot('2-wrong-delimiter');
  });

  it('the fixed file: dry run, apply, and the tokens are on the Tokens page', async () => {
    await upload('march.csv', `itemType,itemId,nickname,expiresOn,maxUses\ntopic,${topicId},March fair,${year}-03-31,50\ntopic,${topicId},New flyer,${year}-01-01,\n`);
    await page.waitForURL(/\/tokens\/imports\/\d+$/);
    expect(await page.textContent('[data-count=create]')).to.equal('2');
    await shot('3-dry-run-clean');
    page.once('dialog', (d) => void d.accept());
    await Promise.all([page.waitForURL(/selfreg=imported/), page.click('#selfreg-apply')]);
    expect(await page.textContent('.selfreg-flash-ok')).to.contain('Import applied');
    await shot('4-applied');
    await page.goto(`${base}/admin/self-registration/tokens`);
    expect(await page.textContent('.selfreg-table')).to.contain('March fair').and.contain('New flyer');
    await shot('5-tokens-page');
    const audit = await t.knex('selfreg_audit_log').where({ action: 'tokens.imported' });
    expect(audit).to.have.length(1);
  });
});
