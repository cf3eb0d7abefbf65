// Two users signed in through the UI (auth mode local): sim-viewer (KubeSim's view-only
// user, impersonated) and sim-admin (group system:masters, here also PORTHOLE_ADMIN_GROUP).
// The viewer sees no delete button and no Terminal tab, is told why a rollout or a drain cannot
// be changed, and the cluster refuses the change if sent anyway; it sees no audit page and the
// audit and recording APIs refuse it. The admin filters and pages the audit log, sees new
// entries arrive live, and plays a terminal's recording from its entry (faster, seek).
import assert from 'node:assert';
import { after, before, test } from 'node:test';
import { launch, newPage, screenshot } from '../lib/browser.mjs';
import { kubectl, runningPod } from '../lib/kubectl.mjs';
import { startPorthole, waitUntil } from '../lib/server.mjs';
import { usersFile } from '../lib/users.mjs';
import { AuditPage, RecordingPlayer } from '../pages/AuditPage.mjs';
import { ObjectPage } from '../pages/ObjectPage.mjs';
import { SignInPage } from '../pages/SignInPage.mjs';
import { TerminalTab } from '../pages/TerminalTab.mjs';

const PASSWORD = 'users-e2e-password';
const signInErrors = [/\/api\/v1\/auth\/me$/];
let server;
let browser;
let users;
let webPod;

before(async () => {
  users = await usersFile([{ username: 'sim-viewer', groups: [] }, { username: 'sim-admin', groups: ['system:masters'] }], PASSWORD);
  server = await startPorthole({
    name: 'users',
    env: { PORTHOLE_AUTH_MODE: 'local', PORTHOLE_USERS_FILE: users.file, PORTHOLE_ADMIN_GROUP: 'system:masters' },
  });
  browser = await launch();
  webPod = await runningPod(server.kubeconfig, 'default', 'app=web');
});

after(async () => {
  await browser?.close();
  await server?.stop();
  users?.cleanup();
});

test('a view-only user sees no delete button and no terminal', async () => {
  const pod = webPod;
  const page = await newPage(browser.context, { expectedHttpErrors: signInErrors });
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

  const page = await newPage(browser.context, { expectedHttpErrors: [...signInErrors, /\/deployments\/e2e-view$/] });
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
  const page = await newPage(browser.context, { expectedHttpErrors: signInErrors });
  await new SignInPage(page, server.base).signIn('sim-viewer', PASSWORD);
  await page.goto(`${server.base}/c/sim-admin/drain/kubesim-node-2`);
  await page.getByTestId('drain-refused').waitFor();
  assert.match(await page.getByTestId('drain-refused').innerText(), /^sim-viewer may not patch nodes \(RBAC/);
  assert.strictEqual(await page.getByTestId('drain-start').isDisabled(), true);
  assert.strictEqual(await kubectl(server.kubeconfig, ['get', 'node', 'kubesim-node-2', '-o', 'jsonpath={.spec.unschedulable}']), '');
  page.assertClean();
});

/** Changes a ConfigMap through the resource API as the signed-in user (an audited patch). */
const patchConfigMap = (page, name) =>
  page.evaluate(async (n) => {
    const r = await fetch(`/api/v1/clusters/sim-admin/k8s/api/v1/namespaces/default/configmaps/${n}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json', 'X-Requested-With': 'e2e' },
      body: JSON.stringify({ data: { k: 'changed' } }),
    });
    return r.status;
  }, name);

test('an admin filters and pages the audit log, and sees new entries arrive live', async () => {
  const page = await newPage(browser.context, { expectedHttpErrors: signInErrors });
  await new SignInPage(page, server.base).signIn('sim-admin', PASSWORD);
  const names = ['e2e-audit-1', 'e2e-audit-2', 'e2e-audit-3', 'e2e-audit-live'];
  await kubectl(server.kubeconfig, ['apply', '-f', '-'], {
    input: names.map((n) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${n}, namespace: default }\ndata: { k: v }\n`).join('---\n'),
  });
  for (const n of ['e2e-audit-1', 'e2e-audit-2', 'e2e-audit-3']) assert.strictEqual(await patchConfigMap(page, n), 200);

  await page.getByTestId('nav-audit').click();
  const audit = new AuditPage(page, server.base);
  await page.getByTestId('audit-page').waitFor();
  await audit.row('sim-admin', 'patch', 'configmaps', 'default/e2e-audit-3', 'success').waitFor();
  await page.evaluate(() => { window.__sameDocument = true; });

  // Filters go to the API: resource=configmaps, 2 a page, then the older page.
  await audit.open('?limit=2');
  await audit.filter({ resource: 'configmaps', verb: 'patch' });
  await audit.row('default/e2e-audit-3').waitFor();
  assert.strictEqual(await audit.rows().count(), 2);
  assert.match(page.url(), /resource=configmaps/);
  await page.getByTestId('audit-older').click();
  await audit.row('default/e2e-audit-1').waitFor();
  assert.strictEqual(await audit.rows().count(), 3);
  assert.strictEqual(await audit.row('configmaps').count(), 3);

  // Live: an entry made elsewhere (another page of this user) appears on top without a reload.
  await page.evaluate(() => { window.__sameDocument = true; });
  const other = await newPage(browser.context);
  await other.goto(`${server.base}/c/sim-admin/events/-`);
  assert.strictEqual(await patchConfigMap(other, 'e2e-audit-live'), 200);
  await other.close();
  await audit.row('default/e2e-audit-live').waitFor();
  assert.match(await audit.rows().first().innerText(), /e2e-audit-live/);
  assert.strictEqual(await page.evaluate(() => window.__sameDocument), true, 'the page was reloaded');
  await screenshot(page, 'audit-live');

  const api = await page.evaluate(async () => (await fetch('/api/v1/audit?resource=configmaps&verb=patch')).json());
  assert.deepStrictEqual(api.items.map((e) => e.name).slice(0, 4), ['e2e-audit-live', 'e2e-audit-3', 'e2e-audit-2', 'e2e-audit-1']);
  assert.strictEqual(await kubectl(server.kubeconfig, ['get', 'configmap', 'e2e-audit-live', '-n', 'default', '-o', 'jsonpath={.data.k}']), 'changed');
  page.assertClean();
});

test('a terminal\'s audit entry links to its recording, which plays back faster and seeks', async () => {
  const page = await newPage(browser.context, { expectedHttpErrors: signInErrors });
  await new SignInPage(page, server.base).signIn('sim-admin', PASSWORD);
  const audit = await new AuditPage(page, server.base).open('?verb=exec');

  const shell = await newPage(browser.context);
  await new ObjectPage(shell, server.base).open({ namespace: 'default', name: webPod, tab: 'terminal' });
  const terminal = new TerminalTab(shell);
  await terminal.waitConnected();
  await terminal.type('echo porthole-replay-$((6*7))\r');
  await terminal.waitForText('porthole-replay-42');
  await shell.close(); // ends the terminal, which writes its audit entry

  const row = audit.row('exec', 'pods/exec', `default/${webPod}`);
  await row.first().waitFor({ timeout: 60_000 });
  await row.first().locator('[data-testid^="audit-recording-"]').click();
  await page.getByTestId('recording-page').waitFor();
  const player = new RecordingPlayer(page);
  await page.getByTestId('player-speed').selectOption('8');
  try {
    await player.waitForText('porthole-replay-42');
  } catch (e) {
    await screenshot(page, 'recording-missing');
    throw e;
  }
  await waitUntil('the player to end', async () => (await player.state()) === 'ended');
  await screenshot(page, 'recording-played');

  await player.seek(0);
  await waitUntil('the screen before any output', async () => !(await player.text()).includes('porthole-replay-42'));
  assert.strictEqual(await player.state(), 'paused');
  const duration = Number(await page.getByTestId('player-seek').getAttribute('max'));
  await player.seek(duration);
  await player.waitForText('porthole-replay-42');
  assert.strictEqual(await player.state(), 'ended');
  page.assertClean();
});

test('a non-admin sees no audit page, and the audit and recording APIs refuse them', async () => {
  const admin = await newPage(browser.context, { expectedHttpErrors: signInErrors });
  await new SignInPage(admin, server.base).signIn('sim-admin', PASSWORD);
  const entries = await admin.evaluate(async () => (await fetch('/api/v1/audit?verb=exec')).json());
  const recording = entries.items.find((e) => e.details?.recording)?.details.recording;
  assert.ok(recording, 'a terminal entry with a recording');
  await admin.close();

  const page = await newPage(browser.context, { expectedHttpErrors: [...signInErrors, /\/api\/v1\/audit/, /\/api\/v1\/terminal\/recordings\//] });
  await new SignInPage(page, server.base).signIn('sim-viewer', PASSWORD);
  await page.getByTestId('nav-events-view').waitFor();
  assert.strictEqual(await page.getByTestId('nav-audit').count(), 0, 'a non-admin was offered the audit log');
  await new AuditPage(page, server.base).open();
  await page.getByTestId('error').filter({ hasText: "Only members of the group 'system:masters'" }).waitFor();
  const status = await page.evaluate(async (id) => [(await fetch('/api/v1/audit')).status, (await fetch(`/api/v1/terminal/recordings/${id}`)).status], recording.replace(/\.cast$/, ''));
  assert.deepStrictEqual(status, [403, 404]);
  await page.goto(`${server.base}/c/sim-admin/recordings/${recording.replace(/\.cast$/, '')}`);
  await page.getByTestId('error').filter({ hasText: 'There is no terminal recording with this id that you may read.' }).waitFor();
  await screenshot(page, 'audit-refused');
  page.assertClean();
});
