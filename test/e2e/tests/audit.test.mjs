// The audit log for admins (auth mode local; sim-admin is in the admin group, here
// system:masters, which also makes it a cluster admin; sim-viewer is in none): filters and paging over GET /api/v1/audit, new entries appearing live, a terminal's entry
// linking to its recording, and the recording played back (faster, seek). Non-admins see no
// audit page and the API refuses them.
import assert from 'node:assert';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { launch, newPage, screenshot } from '../lib/browser.mjs';
import { kubectl } from '../lib/kubectl.mjs';
import { dll, startPorthole, waitUntil } from '../lib/server.mjs';
import { AuditPage, RecordingPlayer } from '../pages/AuditPage.mjs';
import { ObjectPage } from '../pages/ObjectPage.mjs';
import { SignInPage } from '../pages/SignInPage.mjs';
import { TerminalTab } from '../pages/TerminalTab.mjs';

const PASSWORD = 'audit-e2e-password';
const signInErrors = [/\/api\/v1\/auth\/me$/];
let server;
let browser;
let usersDir;
let webPod;

before(async () => {
  const child = promisify(execFile)('dotnet', [dll, 'hash-password'], { timeout: 60_000 });
  child.child.stdin.end(PASSWORD);
  const hash = (await child).stdout.trim();
  usersDir = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'porthole-e2e-users-'));
  const usersFile = path.join(usersDir, 'users.yaml');
  fs.writeFileSync(usersFile, [
    'users:',
    `- { username: sim-admin, passwordHash: "${hash}", groups: [system:masters] }`,
    `- { username: sim-viewer, passwordHash: "${hash}", groups: [] }`,
    '',
  ].join('\n'));
  server = await startPorthole({ name: 'audit', env: { PORTHOLE_AUTH_MODE: 'local', PORTHOLE_USERS_FILE: usersFile, PORTHOLE_ADMIN_GROUP: 'system:masters' } });
  browser = await launch();
  webPod = await waitUntil('a running web pod', async () => {
    const pods = JSON.parse(await kubectl(server.kubeconfig, ['get', 'pods', '-n', 'default', '-l', 'app=web', '-o', 'json']));
    return pods.items.find((p) => p.status?.phase === 'Running')?.metadata.name;
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (usersDir) fs.rmSync(usersDir, { recursive: true, force: true });
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
