// A view-only user (auth mode local, impersonated as KubeSim's sim-viewer) signs in through the
// UI and sees no delete button and no Terminal tab, because the SelfSubjectAccessReviews for
// delete and for create pods/exec said no; the Rollout tab says why it offers no undo, and the
// cluster refuses the undo if it is sent anyway.
import assert from 'node:assert';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { launch, newPage, screenshot } from '../lib/browser.mjs';
import { kubectl } from '../lib/kubectl.mjs';
import { dll, startPorthole, waitUntil } from '../lib/server.mjs';
import { ObjectPage } from '../pages/ObjectPage.mjs';
import { SignInPage } from '../pages/SignInPage.mjs';

const PASSWORD = 'viewer-e2e-password';
let server;
let browser;
let usersDir;

async function hashPassword(password) {
  const child = promisify(execFile)('dotnet', [dll, 'hash-password'], { timeout: 60_000 });
  child.child.stdin.end(password);
  return (await child).stdout.trim();
}

before(async () => {
  usersDir = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'porthole-e2e-users-'));
  const usersFile = path.join(usersDir, 'users.yaml');
  fs.writeFileSync(usersFile, `users:\n- username: sim-viewer\n  passwordHash: "${await hashPassword(PASSWORD)}"\n  groups: []\n`);
  server = await startPorthole({ name: 'viewer', env: { PORTHOLE_AUTH_MODE: 'local', PORTHOLE_USERS_FILE: usersFile } });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (usersDir) fs.rmSync(usersDir, { recursive: true, force: true });
});

test('a view-only user sees no delete button and no terminal', async () => {
  const pod = await waitUntil('a running web pod', async () => {
    const pods = JSON.parse(await kubectl(server.kubeconfig, ['get', 'pods', '-n', 'default', '-l', 'app=web', '-o', 'json']));
    return pods.items.find((p) => p.status?.phase === 'Running')?.metadata.name;
  });
  const page = await newPage(browser.context, { expectedHttpErrors: [/\/api\/v1\/auth\/me$/] });
  await new SignInPage(page, server.base).signIn('sim-viewer', PASSWORD);

  const review = page.waitForResponse(
    (r) => r.url().includes('/selfsubjectaccessreviews') && (r.request().postData() ?? '').includes('"verb":"delete"'),
    { timeout: 60_000 },
  );
  const execReview = page.waitForResponse(
    (r) => r.url().includes('/selfsubjectaccessreviews') && (r.request().postData() ?? '').includes('"subresource":"exec"'),
    { timeout: 60_000 },
  );
  const object = await new ObjectPage(page, server.base).open({ namespace: 'default', name: pod });
  const answer = await (await review).json();
  assert.strictEqual(answer.status?.allowed, false, `the review answered ${JSON.stringify(answer.status)}`);
  const execAnswer = await (await execReview).json();
  assert.strictEqual(execAnswer.status?.allowed, false, `the exec review answered ${JSON.stringify(execAnswer.status)}`);
  await page.getByTestId('object-name').waitFor();
  await page.getByTestId('overview').waitFor();
  assert.strictEqual(await object.deleteButton().count(), 0, 'a viewer was offered Delete');
  await page.getByTestId('tab-logs').waitFor();
  assert.strictEqual(await page.getByTestId('tab-terminal').count(), 0, 'a viewer, who may not exec, was offered Terminal');
  await screenshot(page, 'viewer-pod-no-delete');
  page.assertClean();
});

test('a view-only user is told why the rollout cannot be changed, and the cluster refuses it', async () => {
  const k = (args) => kubectl(server.kubeconfig, args);
  await k(['create', 'deployment', 'e2e-view', '-n', 'default', '--image=nginx:1.25']);
  await k(['set', 'image', 'deployment/e2e-view', 'nginx=nginx:1.26', '-n', 'default']);
  await waitUntil('revision 2 of e2e-view', async () => /^2\s/m.test(await k(['rollout', 'history', 'deployment/e2e-view', '-n', 'default'])));
  const history = await k(['rollout', 'history', 'deployment/e2e-view', '-n', 'default']);

  const page = await newPage(browser.context, { expectedHttpErrors: [/\/api\/v1\/auth\/me$/, /\/deployments\/e2e-view$/] });
  await new SignInPage(page, server.base).signIn('sim-viewer', PASSWORD);
  await new ObjectPage(page, server.base).open({ group: 'apps', resource: 'deployments', namespace: 'default', name: 'e2e-view', tab: 'rollout' });
  await page.getByTestId('revision-1').waitFor();
  await page.getByTestId('rollout-refused').waitFor();
  assert.match(await page.getByTestId('rollout-refused').innerText(), /^sim-viewer may not patch deployments\.apps in namespace default \(RBAC/);
  assert.strictEqual(await page.getByTestId('undo-1').isDisabled(), true);
  for (const id of ['restart-button', 'pause-button', 'scale-button']) {
    assert.strictEqual(await page.getByTestId(id).count(), 0, `a viewer was offered ${id}`);
  }
  await screenshot(page, 'viewer-rollout-refused');

  // The request kubectl rollout undo would send, made as the viewer: Kubernetes says no.
  const refused = await page.evaluate(async () => {
    const r = await fetch('/api/v1/clusters/sim-admin/k8s/apis/apps/v1/namespaces/default/deployments/e2e-view', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json-patch+json', 'X-Requested-With': 'e2e' },
      body: JSON.stringify([{ op: 'replace', path: '/spec/paused', value: true }]),
    });
    return { status: r.status, body: await r.json() };
  });
  assert.strictEqual(refused.status, 403);
  assert.match(refused.body.message, /User "sim-viewer" cannot patch resource "deployments"/);
  assert.strictEqual(await k(['rollout', 'history', 'deployment/e2e-view', '-n', 'default']), history);
  page.assertClean();
});

test('a view-only user may look at a drain but not start one, and is told why', async () => {
  const page = await newPage(browser.context, { expectedHttpErrors: [/\/api\/v1\/auth\/me$/] });
  await new SignInPage(page, server.base).signIn('sim-viewer', PASSWORD);
  await page.goto(`${server.base}/c/sim-admin/drain/kubesim-node-2`);
  await page.getByTestId('drain-refused').waitFor();
  assert.match(await page.getByTestId('drain-refused').innerText(), /^sim-viewer may not patch nodes \(RBAC/);
  assert.strictEqual(await page.getByTestId('drain-start').isDisabled(), true);
  assert.strictEqual(await kubectl(server.kubeconfig, ['get', 'node', 'kubesim-node-2', '-o', 'jsonpath={.spec.unschedulable}']), '');
  page.assertClean();
});
