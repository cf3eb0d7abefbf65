// A view-only user (auth mode local, impersonated as KubeSim's sim-viewer) signs in through the
// UI and sees no delete button and no Terminal tab, because the SelfSubjectAccessReviews for
// delete and for create pods/exec said no.
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
