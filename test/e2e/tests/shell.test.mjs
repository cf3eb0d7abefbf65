// The console loads from the single binary: hashed assets, the CSP nonce, no console errors.
// The server runs read-only (PORTHOLE_READ_ONLY=true), which changes nothing of that: it offers
// no change (the header says read-only, the Rollout tab says why its buttons are off), and the
// resource API refuses the change kubectl would send (403 read_only) while the cluster stays.
import assert from 'node:assert';
import { after, before, test } from 'node:test';
import { launch, newPage, screenshot } from '../lib/browser.mjs';
import { kubectl } from '../lib/kubectl.mjs';
import { startPorthole, waitUntil } from '../lib/server.mjs';
import { ObjectPage } from '../pages/ObjectPage.mjs';

let server;
let browser;

before(async () => {
  server = await startPorthole({ name: 'shell', env: { PORTHOLE_READ_ONLY: 'true' } });
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

test('a read-only server offers no rollout action and refuses one sent anyway', async () => {
  const k = (args, options) => kubectl(server.kubeconfig, args, options);
  await k(['set', 'image', 'deployment/web', 'web=nginx:1.27-alpine', '-n', 'default']);
  await waitUntil('revision 2 of web', async () => /^2\s/m.test(await k(['rollout', 'history', 'deployment/web', '-n', 'default'])));

  const page = await newPage(browser.context, { expectedHttpErrors: [/\/k8s\/apis\/apps\/v1\/namespaces\/default\/deployments\/web$/] });
  await new ObjectPage(page, server.base).open({ group: 'apps', resource: 'deployments', namespace: 'default', name: 'web', tab: 'rollout' });
  await page.getByTestId('read-only').waitFor();
  await page.getByTestId('revision-1').waitFor();
  assert.match(await page.getByTestId('rollout-refused').innerText(), /read-only \(PORTHOLE_READ_ONLY\)/);
  assert.strictEqual(await page.getByTestId('undo-1').isDisabled(), true);
  for (const id of ['restart-button', 'pause-button', 'scale-button', 'delete-button']) {
    assert.strictEqual(await page.getByTestId(id).count(), 0, `a read-only server offered ${id}`);
  }
  await screenshot(page, 'readonly-rollout');

  const refused = await page.evaluate(async () => {
    const r = await fetch('/api/v1/clusters/sim-admin/k8s/apis/apps/v1/namespaces/default/deployments/web', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/strategic-merge-patch+json', 'X-Requested-With': 'e2e' },
      body: JSON.stringify({ spec: { paused: true } }),
    });
    return { status: r.status, body: await r.json() };
  });
  assert.strictEqual(refused.status, 403);
  assert.strictEqual(refused.body.code, 'read_only');
  assert.strictEqual(await k(['get', 'deployment', 'web', '-n', 'default', '-o', 'jsonpath={.spec.paused}']), '');
  page.assertClean();
});
