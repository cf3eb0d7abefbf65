// The console loads from the single binary: hashed assets, the CSP nonce, no console errors.
import assert from 'node:assert';
import { after, before, test } from 'node:test';
import { launch, newPage, screenshot } from '../lib/browser.mjs';
import { startPorthole } from '../lib/server.mjs';

let server;
let browser;

before(async () => {
  server = await startPorthole({ name: 'shell' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the console loads with its nonce and no CSP violation or console error', async () => {
  const page = await newPage(browser.context);
  const response = await page.goto(`${server.base}/`);
  assert.strictEqual(response.status(), 200);
  const csp = response.headers()['content-security-policy'];
  const nonce = await page.locator('meta[name="csp-nonce"]').getAttribute('content');
  assert.ok(csp.includes(`'nonce-${nonce}'`), `CSP ${csp} lacks the page's nonce ${nonce}`);
  await page.locator('#root > *').first().waitFor();
  await screenshot(page, 'console-start');
  page.assertClean();
});
