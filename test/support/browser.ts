import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ARTIFACTS = path.resolve('test-artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The one command that gets a browser on the machines this project runs on. */
export const INSTALL_BROWSER = 'sudo apt-get install -y chromium';
/** Set (to 1) by CI: a missing browser then fails the browser suites instead of skipping them. */
export const REQUIRE_BROWSER = process.env.SELFREG_REQUIRE_BROWSER === '1';

function browserPresent(): boolean {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Suites skipped for want of a browser; test/support/reporter.cjs repeats them, loudly, at the end of the run. */
const skippedBrowserSuites: string[] = ((globalThis as { __selfregSkippedBrowserSuites?: string[] }).__selfregSkippedBrowserSuites ??= []);

/**
 * Call first in a browser suite's `before`: without Chromium the suite is skipped and says so (and
 * the run's summary repeats it with the install command); with SELFREG_REQUIRE_BROWSER=1, as CI
 * sets, a missing browser fails the suite instead, so the browser tests can never silently stop running.
 */
export function needsBrowser(ctx: Mocha.Context): void {
  if (browserPresent()) return;
  const title = ctx.test?.parent?.fullTitle() ?? 'a browser suite';
  if (REQUIRE_BROWSER) throw new Error(`No browser at ${CHROMIUM} and SELFREG_REQUIRE_BROWSER=1: install one with \`${INSTALL_BROWSER}\` (or set CHROMIUM_PATH).`);
  skippedBrowserSuites.push(title);
  console.warn(`\n  !! SKIPPED "${title}": no Chromium at ${CHROMIUM}. Install it with: ${INSTALL_BROWSER}\n`);
  ctx.skip();
}

/** Debian's Chromium, headless, driven by playwright-core (no downloaded browser). */
export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'selfreg-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot under test-artifacts/<suite>/<name>.png (an absolute `suite` is used as it is). */
export async function screenshot(page: Page, suite: string, name: string): Promise<string> {
  const dir = path.resolve(ARTIFACTS, suite);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const AXE_SOURCE = (): string => readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Loads axe-core into the page through the DevTools protocol, which the page's Content-Security-Policy
 * does not govern, so the pages are tested under their real policy (a <script> tag would be refused).
 */
export async function injectAxe(page: Page): Promise<void> {
  await page.evaluate(AXE_SOURCE());
}

/** Who signs in through the sandbox's form: a seeded account (`t.accounts[label]`) or any email and password. */
export interface FormAccount { readonly email: string; readonly password: string }

/**
 * Signs in through the sandbox's own /login form, as a person would, and waits to land: on
 * `returnTo` when given (it rides on the form's address), else on the home page.
 */
export async function signInThroughForm(page: Page, base: string, account: FormAccount, returnTo?: string): Promise<void> {
  await page.goto(`${base}/login${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`);
  await page.fill('input[name=email]', account.email);
  await page.fill('input[name=password]', account.password);
  await Promise.all([page.waitForURL(`${base}${returnTo ?? '/'}`), page.click('button[type=submit]')]);
}

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }

/** axe-core on the page as it is now (or only within `selector`): its serious and critical violations. */
export async function seriousViolations(page: Page, selector?: string): Promise<AxeViolation[]> {
  await injectAxe(page);
  const violations = (await page.evaluate(`axe.run(${selector ? JSON.stringify(selector) : 'document'}, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Fails with the violations listed (after `label`, when given) if axe finds a serious or critical one. */
export async function expectAccessible(page: Page, selector?: string, label?: string): Promise<void> {
  const serious = await seriousViolations(page, selector);
  const listed = JSON.stringify(serious, null, 1);
  expect(serious, label ? `${label}: ${listed}` : listed).to.deep.equal([]);
}

/** How many CSS pixels the page is wider than its viewport: 0 when nothing scrolls sideways. */
export async function sidewaysOverflow(page: Page): Promise<number> {
  return (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
}

export interface AuditOptions {
  /** Screenshots go to test-artifacts/<suite>/ (an absolute path is used as it is). */
  readonly suite: string;
  /** Names the screenshots (`<state>-<width>.png`) and the failure messages. */
  readonly state: string;
  readonly widths: readonly number[];
  /** The viewport's height at every width; by default 740 at 360 px and 900 otherwise. */
  readonly height?: number;
  /** The widths at which nothing may scroll sideways; by default every width audited. */
  readonly noOverflowAt?: readonly number[];
}

/**
 * At each width: a screenshot, no serious or critical axe violation on the whole page, and nothing
 * scrolling sideways (at the widths `noOverflowAt` names). The viewport is then put back as it was.
 */
export async function auditPage(page: Page, options: AuditOptions): Promise<void> {
  const before = page.viewportSize();
  for (const width of options.widths) {
    await page.setViewportSize({ width, height: options.height ?? (width === 360 ? 740 : 900) });
    await page.waitForLoadState('load');
    const serious = await seriousViolations(page);
    await screenshot(page, options.suite, `${options.state}-${width}`);
    expect(serious, `${options.state} at ${width}px: ${JSON.stringify(serious, null, 1)}`).to.deep.equal([]);
    if ((options.noOverflowAt ?? options.widths).includes(width)) {
      expect(await sidewaysOverflow(page), `${options.state} at ${width}px scrolls sideways`).to.equal(0);
    }
  }
  if (before) await page.setViewportSize(before);
}
