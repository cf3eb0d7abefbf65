// Debian's chromium through playwright-core, with the flags this machine needs (see the machine
// notes): no GPU, no QUIC, no background networking, a fresh profile. Every page fails its test
// on a console error, an uncaught exception or a CSP violation; screenshots go to .test-out/e2e/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { root } from './server.mjs';

export const chromiumPath = process.env.PORTHOLE_CHROMIUM || '/usr/bin/chromium';
export const artifacts = path.join(root, '.test-out', 'e2e');
export const TIMEOUT_MS = 30_000;

const flags = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A browser context with its own fresh --user-data-dir (removed by close()). */
export async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'porthole-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: flags,
    viewport: { width: 1400, height: 900 },
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A new page whose problems (console errors, page errors, CSP violations) are collected;
 * `assertClean()` throws listing them. Chromium reports every 4xx/5xx response as a console
 * error; `expectedHttpErrors` lists URL patterns whose error status the test expects (the 401
 * of /api/v1/auth/me before sign-in).
 */
export async function newPage(context, { expectedHttpErrors = [] } = {}) {
  const page = await context.newPage();
  const problems = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const url = msg.location()?.url ?? '';
    if (msg.text().startsWith('Failed to load resource') && expectedHttpErrors.some((p) => p.test(url))) return;
    problems.push(`console error: ${msg.text()} (${url})`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.assertClean = () => {
    if (problems.length > 0) throw new Error(`the page reported problems:\n${problems.join('\n')}`);
  };
  page.problems = problems;
  return page;
}

/** Saves a full-page screenshot as .test-out/e2e/{name}.png and returns its path. */
export async function screenshot(page, name) {
  fs.mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
