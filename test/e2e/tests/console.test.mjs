// The console as an operator uses it, against `porthole --demo` and the real kubectl.
import assert from 'node:assert';
import { after, before, test } from 'node:test';
import { launch, newPage, screenshot } from '../lib/browser.mjs';
import { kubectl, runningPod } from '../lib/kubectl.mjs';
import { startPorthole, waitUntil } from '../lib/server.mjs';
import { LogsTab } from '../pages/LogsTab.mjs';
import { ObjectPage } from '../pages/ObjectPage.mjs';
import { PodListPage } from '../pages/PodListPage.mjs';
import { TerminalTab } from '../pages/TerminalTab.mjs';
import { YamlTab } from '../pages/YamlTab.mjs';

const LONG = { timeout: 60_000 };
let server;
let browser;
let webPod;

before(async () => {
  server = await startPorthole({ name: 'console' });
  browser = await launch();
  // A running pod of the demo Deployment "web" in namespace default.
  webPod = await runningPod(server.kubeconfig, 'default', 'app=web');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the pod list shows the demo pods', async () => {
  const page = await newPage(browser.context);
  const list = await new PodListPage(page, server.base).open();
  await list.row('default', webPod).waitFor(LONG);
  await list.rows('team-b').first().waitFor(LONG);
  assert.ok((await list.rows('default', 'web-').count()) >= 1);
  await screenshot(page, 'pod-list');
  page.assertClean();
});

test('a pod created with kubectl appears without a reload and disappears when deleted', async () => {
  const page = await newPage(browser.context);
  const list = await new PodListPage(page, server.base).open('default');
  await list.row('default', webPod).waitFor(LONG);
  await page.evaluate(() => { window.__sameDocument = true; });

  await kubectl(server.kubeconfig, ['run', 'e2e-live', '-n', 'default', '--image=busybox', '--restart=Never', '--', 'sleep', '3600']);
  await list.row('default', 'e2e-live').waitFor(LONG);
  await screenshot(page, 'pod-list-live-added');

  await kubectl(server.kubeconfig, ['delete', 'pod', 'e2e-live', '-n', 'default', '--wait=false']);
  await list.row('default', 'e2e-live').waitFor({ state: 'detached', timeout: 90_000 });
  assert.strictEqual(await page.evaluate(() => window.__sameDocument), true, 'the page was reloaded');
  page.assertClean();
});

test('a YAML edit applies after the dry-run review', async () => {
  // Applied server-side as Porthole's field manager, as if made in the console (a kubectl-created
  // field would make the apply a conflict, which the page shows instead of applying).
  await kubectl(server.kubeconfig, ['apply', '--server-side', '--field-manager=porthole', '-f', '-'], {
    input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e2e-yaml\n  namespace: default\ndata:\n  greeting: hello\n',
  });
  const page = await newPage(browser.context);
  await new ObjectPage(page, server.base).open({ resource: 'configmaps', namespace: 'default', name: 'e2e-yaml', tab: 'yaml' });
  const yaml = new YamlTab(page);
  await yaml.replace('greeting: hello', 'greeting: bonjour');
  await yaml.applyWithReview();
  await screenshot(page, 'yaml-applied');

  const greeting = await kubectl(server.kubeconfig, ['get', 'configmap', 'e2e-yaml', '-n', 'default', '-o', 'jsonpath={.data.greeting}']);
  assert.strictEqual(greeting, 'bonjour');
  page.assertClean();
});

test('a pod\'s logs stream, and search highlights matches', async () => {
  const page = await newPage(browser.context);
  await new ObjectPage(page, server.base).open({ namespace: 'default', name: webPod, tab: 'logs' });
  const logs = new LogsTab(page);
  await logs.waitForMoreThan(0);
  const first = await logs.lineCount();
  await logs.waitForMoreThan(first); // new lines arrive while following

  const word = (await logs.lines().last().innerText()).split(/\s+/).find((w) => /^[A-Za-z]{3,}$/.test(w));
  assert.ok(word, 'a word to search for');
  await logs.search(word);
  await page.locator('[data-testid="logs-line"] mark').first().waitFor();
  await page.getByTestId('logs-match-count').waitFor();
  await screenshot(page, 'pod-logs');
  page.assertClean();
});

test('a Deployment\'s logs come from its pods', async () => {
  const page = await newPage(browser.context);
  await new ObjectPage(page, server.base).open({ group: 'apps', resource: 'deployments', namespace: 'default', name: 'web', tab: 'logs' });
  const logs = new LogsTab(page);
  await logs.waitForMoreThan(0);
  assert.match(await logs.lines().first().innerText(), /^\[web-[^/]+\/web\] /);
  await screenshot(page, 'deployment-logs');
  page.assertClean();
});

test('the terminal runs echo and shows its output', async () => {
  const page = await newPage(browser.context);
  await new ObjectPage(page, server.base).open({ namespace: 'default', name: webPod, tab: 'terminal' });
  const terminal = new TerminalTab(page);
  await terminal.waitConnected();
  await terminal.type('echo porthole-e2e-$((6*7))\r');
  await terminal.waitForText('porthole-e2e-42');
  await screenshot(page, 'terminal');
  page.assertClean();
});

test('an admin sees the delete button', async () => {
  const page = await newPage(browser.context);
  const object = await new ObjectPage(page, server.base).open({ namespace: 'default', name: webPod });
  await object.deleteButton().waitFor(LONG);
  page.assertClean();
});

/** Records a Warning event about a pod with kubectl, as a controller would; returns its name. */
async function warnAbout(pod, reason) {
  const uid = await kubectl(server.kubeconfig, ['get', 'pod', pod, '-n', 'default', '-o', 'jsonpath={.metadata.uid}']);
  const name = `${pod}.e2e-${reason.toLowerCase()}`;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await kubectl(server.kubeconfig, ['create', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default' },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: pod, namespace: 'default', uid },
      type: 'Warning', reason, message: `e2e says ${reason}`, count: 1, firstTimestamp: now, lastTimestamp: now, source: { component: 'e2e' },
    }),
  });
  return name;
}

test('the Events view groups events by object, warnings first, and shows new ones live', async () => {
  const page = await newPage(browser.context);
  await new PodListPage(page, server.base).open('-');
  await page.getByTestId('nav-events-view').click();
  await page.getByTestId('events-page').waitFor();
  await page.locator('[data-testid^="event-group-"]').first().waitFor(LONG);
  await page.evaluate(() => { window.__sameDocument = true; });

  const name = await warnAbout(webPod, 'E2EProbeFailed');
  const group = page.getByTestId(`event-group-Pod/default/${webPod}`);
  await group.getByTestId(`event-${name}`).waitFor(LONG);
  assert.strictEqual(await group.getByTestId(`event-${name}`).getAttribute('data-type'), 'Warning');
  const warnings = await page.locator('[data-testid^="event-group-"]').evaluateAll((els) => els.map((e) => Number(e.dataset.warnings)));
  const firstQuiet = warnings.indexOf(0);
  assert.ok(firstQuiet === -1 || warnings.slice(firstQuiet).every((w) => w === 0), `a group with warnings came after one without: ${warnings.join(',')}`);

  await page.getByTestId('events-warnings-only').check();
  assert.strictEqual(await page.locator('[data-testid^="event-"][data-type="Normal"]').count(), 0);
  await group.getByTestId(`event-${name}`).waitFor();
  assert.strictEqual(await page.evaluate(() => window.__sameDocument), true, 'the page was reloaded');
  await screenshot(page, 'events-view');

  const listed = await kubectl(server.kubeconfig, ['get', 'events', '-n', 'default', '--field-selector', `involvedObject.name=${webPod},type=Warning`, '-o', 'name']);
  assert.match(listed, new RegExp(`event/${name.replace(/\./g, '\\.')}`));
  page.assertClean();
});

test('an object page\'s Events tab shows a new event without a reload', async () => {
  const page = await newPage(browser.context);
  await new ObjectPage(page, server.base).open({ namespace: 'default', name: webPod, tab: 'events' });
  await page.getByTestId('events').waitFor(LONG);
  const name = await warnAbout(webPod, 'E2ELiveTab');
  await page.getByTestId('events').getByTestId(`event-${name}`).waitFor(LONG);
  page.assertClean();
});

test('a YAML edit that conflicts with another field manager names the field and manager; force is a second, reviewed step', async () => {
  await kubectl(server.kubeconfig, ['apply', '--server-side', '--field-manager=e2e-other', '-f', '-'], {
    input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e2e-conflict\n  namespace: default\ndata:\n  greeting: hello\n',
  });
  const greeting = () => kubectl(server.kubeconfig, ['get', 'configmap', 'e2e-conflict', '-n', 'default', '-o', 'jsonpath={.data.greeting}']);
  const page = await newPage(browser.context, { expectedHttpErrors: [/\/configmaps\/e2e-conflict\?/] });
  await new ObjectPage(page, server.base).open({ resource: 'configmaps', namespace: 'default', name: 'e2e-conflict', tab: 'yaml' });
  const yaml = new YamlTab(page);
  await yaml.replace('greeting: hello', 'greeting: hola');
  await page.getByTestId('yaml-apply').click();
  const conflict = page.getByTestId('yaml-conflicts').getByTestId('conflict');
  await conflict.first().waitFor();
  assert.match(await conflict.first().innerText(), /\.data\.greeting\s+e2e-other/);
  assert.strictEqual(await greeting(), 'hello');

  await page.getByTestId('yaml-force').click();
  await page.getByTestId('yaml-review').waitFor();
  assert.match(await page.getByTestId('yaml-forced').innerText(), /takes over \.data\.greeting \(from e2e-other\)/);
  await page.getByTestId('yaml-diff').locator('.diff-add', { hasText: 'greeting: hola' }).waitFor();
  assert.strictEqual(await greeting(), 'hello', 'the forced review applied something');
  await page.getByTestId('yaml-confirm').click();
  await page.getByTestId('yaml-applied').waitFor();
  assert.strictEqual(await greeting(), 'hola');
  const managed = JSON.parse(await kubectl(server.kubeconfig, ['get', 'configmap', 'e2e-conflict', '-n', 'default', '-o', 'json', '--show-managed-fields'])).metadata.managedFields;
  assert.ok(managed.some((m) => m.manager === 'porthole' && m.fieldsV1?.['f:data']?.['f:greeting']), JSON.stringify(managed));
  await screenshot(page, 'yaml-forced');
  page.assertClean();
});

test('Create from YAML reviews every document with a server dry run, then applies them', async () => {
  await kubectl(server.kubeconfig, ['apply', '--server-side', '--field-manager=e2e-other', '-f', '-'], {
    input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e2e-multi-owned\n  namespace: default\ndata:\n  k: v\n',
  });
  const page = await newPage(browser.context, { expectedHttpErrors: [/\/configmaps\/e2e-multi-(a|owned)\?/, /\/configmaps\/e2e-multi-a$/, /\/deployments\/e2e-multi-web/] });
  await new PodListPage(page, server.base).open('-');
  await page.getByTestId('nav-create').click();
  await page.getByTestId('create-page').waitFor();
  await new YamlTab(page).setText([
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e2e-multi-a\ndata:\n  colour: blue',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: e2e-multi-web\n  namespace: team-b\nspec:\n  replicas: 1\n  selector: { matchLabels: { app: e2e-multi-web } }\n  template:\n    metadata: { labels: { app: e2e-multi-web } }\n    spec:\n      containers: [{ name: web, image: nginx:1.27 }]',
    'apiVersion: v1\nkind: Widget\nmetadata:\n  name: nope',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e2e-multi-owned\n  namespace: default\ndata:\n  k: w',
  ].join('\n---\n'));
  await page.getByTestId('create-review').click();
  const doc = (n) => page.getByTestId(`create-doc-${n}`);
  await doc(4).waitFor();
  assert.deepStrictEqual(
    await Promise.all([1, 2, 3, 4].map((n) => doc(n).getAttribute('data-outcome'))),
    ['create', 'create', 'error', 'conflict'],
  );
  assert.match(await doc(3).innerText(), /The cluster serves no kind Widget in v1\./);
  assert.match(await page.getByTestId('create-conflicts-4').innerText(), /\.data\.k\s+e2e-other/);
  await page.getByTestId('create-diff-1').locator('.diff-add', { hasText: 'colour: blue' }).waitFor();
  await assert.rejects(kubectl(server.kubeconfig, ['get', 'configmap', 'e2e-multi-a', '-n', 'default']), /not found/);

  await page.getByTestId('create-force-4').click();
  await page.locator('[data-testid="create-doc-4"][data-outcome="change"]').waitFor();
  await page.getByTestId('create-apply').click();
  for (const n of [1, 2, 4]) await page.locator(`[data-testid="create-doc-${n}"][data-result="applied"]`).waitFor();
  assert.strictEqual(await doc(3).getAttribute('data-result'), null);
  await screenshot(page, 'create-applied');

  assert.strictEqual(await kubectl(server.kubeconfig, ['get', 'configmap', 'e2e-multi-a', '-n', 'default', '-o', 'jsonpath={.data.colour}']), 'blue');
  assert.strictEqual(await kubectl(server.kubeconfig, ['get', 'deployment', 'e2e-multi-web', '-n', 'team-b', '-o', 'jsonpath={.spec.replicas}']), '1');
  assert.strictEqual(await kubectl(server.kubeconfig, ['get', 'configmap', 'e2e-multi-owned', '-n', 'default', '-o', 'jsonpath={.data.k}']), 'w');
  page.assertClean();
});
