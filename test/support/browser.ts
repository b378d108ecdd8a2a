import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
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

/** Saves a full-page screenshot under test-artifacts/<suite>/<name>.png. */
export async function screenshot(page: Page, suite: string, name: string): Promise<string> {
  const dir = path.join(ARTIFACTS, suite);
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
