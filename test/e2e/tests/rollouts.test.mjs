// Rollouts of Deployments, StatefulSets and DaemonSets in the console: history with
// change-cause, the template diff of two revisions, undo to any revision, restart, pause,
// resume, scale and live progress; each checked with kubectl (rollout history/status, get).
import assert from 'node:assert';
import { after, before, test } from 'node:test';
import { launch, newPage, screenshot } from '../lib/browser.mjs';
import { kubectl } from '../lib/kubectl.mjs';
import { startPorthole, waitUntil } from '../lib/server.mjs';
import { ObjectPage } from '../pages/ObjectPage.mjs';
import { RolloutTab } from '../pages/RolloutTab.mjs';

let server;
let browser;

// In auth mode none the user is the kubeconfig's with group system:authenticated: made an
// admin here so the test can read the audit log the actions leave.
before(async () => {
  server = await startPorthole({ name: 'rollouts', env: { PORTHOLE_ADMIN_GROUP: 'system:authenticated' } });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const k = (args, options) => kubectl(server.kubeconfig, args, options);

function deployment(name, image, cause, extra = '') {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: default
  annotations:
    kubernetes.io/change-cause: "${cause}"
spec:
  replicas: 1
${extra}  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
      - name: app
        image: ${image}
`;
}

/** `kubectl rollout history` as {revision: change-cause}. */
async function history(kind, name) {
  const out = await k(['rollout', 'history', `${kind}/${name}`, '-n', 'default']);
  return Object.fromEntries(out.split('\n').map((l) => /^(\d+)\s+(.*)$/.exec(l.trim())).filter(Boolean).map((m) => [Number(m[1]), m[2].trim()]));
}

/** Waits until the controller recorded revision n (a new template before that would skip it). */
const recorded = (kind, name, n) => waitUntil(`revision ${n} of ${kind}/${name}`, async () => (await history(kind, name))[n] !== undefined);

const image = (kind, name) => k(['get', kind, name, '-n', 'default', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);

async function openRollout(page, resource, name) {
  await new ObjectPage(page, server.base).open({ group: 'apps', resource, namespace: 'default', name, tab: 'rollout' });
  const tab = new RolloutTab(page);
  await page.getByTestId('rollout-tab').waitFor();
  return tab;
}

test('a Deployment\'s history, diff and undo to an older revision, as kubectl rollout sees it', async () => {
  for (const [n, cause] of [[1, 'nginx 1.25'], [2, 'nginx 1.26'], [3, 'nginx 1.27']]) {
    await k(['apply', '-f', '-'], { input: deployment('e2e-roll', cause.replace('nginx ', 'nginx:'), cause) });
    await recorded('deployment', 'e2e-roll', n);
  }
  await k(['rollout', 'status', 'deployment/e2e-roll', '-n', 'default', '--timeout=90s']);
  assert.deepStrictEqual(await history('deployment', 'e2e-roll'), { 1: 'nginx 1.25', 2: 'nginx 1.26', 3: 'nginx 1.27' });

  const page = await newPage(browser.context);
  const tab = await openRollout(page, 'deployments', 'e2e-roll');
  await tab.waitForState('complete');
  await tab.revision(3).waitFor();
  assert.strictEqual(await tab.changeCause(1), 'nginx 1.25');
  assert.strictEqual(await tab.changeCause(3), 'nginx 1.27');
  const diff = await tab.diff(1, 3);
  await diff.locator('.diff-del', { hasText: 'image: nginx:1.25' }).waitFor();
  await diff.locator('.diff-add', { hasText: 'image: nginx:1.27' }).waitFor();

  await tab.startUndo(1);
  await page.getByTestId('undo-diff').locator('.diff-add', { hasText: 'image: nginx:1.25' }).waitFor();
  assert.strictEqual(await tab.confirmUndo(), 'rolled back to revision 1');
  await screenshot(page, 'rollout-undone');

  // kubectl's own undo would leave exactly this: revision 1 becomes 4, with its change-cause back.
  await waitUntil('revision 4 in kubectl rollout history', async () => (await history('deployment', 'e2e-roll'))[4] === 'nginx 1.25');
  assert.deepStrictEqual(await history('deployment', 'e2e-roll'), { 2: 'nginx 1.26', 3: 'nginx 1.27', 4: 'nginx 1.25' });
  assert.strictEqual(await image('deployment', 'e2e-roll'), 'nginx:1.25');
  await k(['rollout', 'status', 'deployment/e2e-roll', '-n', 'default', '--timeout=90s']);
  await tab.revision(4).waitFor();
  await tab.waitForState('complete');

  const audit = await page.evaluate(async () => (await fetch('/api/v1/audit?verb=patch&resource=deployments&namespace=default')).json());
  assert.ok(audit.items.some((e) => e.name === 'e2e-roll' && e.result === 'success'), `no audit entry for the undo: ${JSON.stringify(audit.items)}`);
  page.assertClean();
});

test('restart, pause, resume and scale send kubectl\'s requests and show live progress', async () => {
  const page = await newPage(browser.context);
  const tab = await openRollout(page, 'deployments', 'e2e-roll');
  await tab.waitForState('complete');

  await page.getByTestId('restart-button').click();
  await waitUntil('the restartedAt annotation', async () =>
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(await k(['get', 'deployment', 'e2e-roll', '-n', 'default', '-o', 'jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}'])));
  await tab.revision(5).waitFor({ timeout: 60_000 });
  await k(['rollout', 'status', 'deployment/e2e-roll', '-n', 'default', '--timeout=90s']);

  await page.getByTestId('pause-button').click();
  await page.getByTestId('resume-button').waitFor();
  assert.strictEqual(await k(['get', 'deployment', 'e2e-roll', '-n', 'default', '-o', 'jsonpath={.spec.paused}']), 'true');
  await tab.waitForState('paused');
  await page.getByTestId('resume-button').click();
  await page.getByTestId('pause-button').waitFor();
  assert.strictEqual(await k(['get', 'deployment', 'e2e-roll', '-n', 'default', '-o', 'jsonpath={.spec.paused}']), '');

  await page.getByTestId('scale-button').click();
  await page.getByTestId('scale-replicas').fill('2');
  await page.getByTestId('confirm-ok').click();
  await page.locator('[data-testid="rollout-desired"]', { hasText: /^2$/ }).waitFor();
  await page.locator('[data-testid="rollout-available"]', { hasText: /^2$/ }).waitFor({ timeout: 90_000 });
  assert.strictEqual(await k(['get', 'deployment', 'e2e-roll', '-n', 'default', '-o', 'jsonpath={.spec.replicas}']), '2');
  await tab.waitForState('complete');
  await screenshot(page, 'rollout-scaled');
  page.assertClean();
});

test('a rollout past its progress deadline is shown as failed, as kubectl rollout status says', async () => {
  await k(['apply', '-f', '-'], { input: deployment('e2e-stuck', 'registry.example/pull-fail:1', 'never pulls', '  progressDeadlineSeconds: 3\n') });
  const page = await newPage(browser.context);
  const tab = await openRollout(page, 'deployments', 'e2e-stuck');
  await tab.waitForState('failed');
  assert.strictEqual((await page.getByTestId('rollout-message').innerText()).trim(), 'deployment "e2e-stuck" exceeded its progress deadline');
  await page.locator('.rollout-conditions li', { hasText: 'ProgressDeadlineExceeded' }).waitFor();
  await screenshot(page, 'rollout-deadline');
  await assert.rejects(k(['rollout', 'status', 'deployment/e2e-stuck', '-n', 'default', '--timeout=30s']), /exceeded its progress deadline/);
  page.assertClean();
});

test('a revision deleted while its undo dialog is open cannot be rolled back to', async () => {
  const before = await history('deployment', 'e2e-roll');
  const page = await newPage(browser.context);
  const tab = await openRollout(page, 'deployments', 'e2e-roll');
  await tab.revision(2).waitFor();
  const rs = JSON.parse(await k(['get', 'replicasets', '-n', 'default', '-l', 'app=e2e-roll', '-o', 'json'])).items
    .find((r) => r.metadata.annotations['deployment.kubernetes.io/revision'] === '2');
  await tab.startUndo(2);
  await k(['delete', 'replicaset', rs.metadata.name, '-n', 'default']);
  await page.getByTestId('undo-gone').waitFor();
  assert.match(await page.getByTestId('undo-gone').innerText(), new RegExp(`Revision 2 no longer exists: ReplicaSet ${rs.metadata.name} was deleted`));
  assert.strictEqual(await page.getByTestId('confirm-ok').isDisabled(), true);
  await screenshot(page, 'rollout-revision-gone');
  await page.getByTestId('confirm-cancel').click();
  delete before[2];
  assert.deepStrictEqual(await history('deployment', 'e2e-roll'), before);
  page.assertClean();
});

for (const [kind, resource, first, second] of [
  ['statefulset', 'statefulsets', 'redis:7', 'redis:8'],
  ['daemonset', 'daemonsets', 'fluent-bit:3.0', 'fluent-bit:3.1'],
]) {
  test(`a ${kind} rolls back through its ControllerRevisions`, async () => {
    const manifest = (img) => `apiVersion: apps/v1
kind: ${kind === 'statefulset' ? 'StatefulSet' : 'DaemonSet'}
metadata:
  name: e2e-${kind}
  namespace: default
  annotations:
    kubernetes.io/change-cause: "${img}"
spec:
${kind === 'statefulset' ? '  replicas: 1\n  serviceName: e2e-statefulset\n' : ''}  selector:
    matchLabels: { app: e2e-${kind} }
  template:
    metadata:
      labels: { app: e2e-${kind} }
    spec:
      containers:
      - name: app
        image: ${img}
`;
    for (const [n, img] of [[1, first], [2, second]]) {
      await k(['apply', '-f', '-'], { input: manifest(img) });
      await recorded(kind, `e2e-${kind}`, n);
    }
    await k(['rollout', 'status', `${kind}/e2e-${kind}`, '-n', 'default', '--timeout=90s']);
    assert.deepStrictEqual(await history(kind, `e2e-${kind}`), { 1: first, 2: second });

    const page = await newPage(browser.context);
    const tab = await openRollout(page, resource, `e2e-${kind}`);
    await tab.waitForState('complete');
    await tab.revision(2).waitFor();
    assert.strictEqual(await tab.changeCause(1), first);
    await tab.startUndo(1);
    assert.strictEqual(await tab.confirmUndo(), 'rolled back to revision 1');

    await waitUntil(`revision 3 of ${kind}`, async () => (await history(kind, `e2e-${kind}`))[3] === first);
    assert.deepStrictEqual(await history(kind, `e2e-${kind}`), { 2: second, 3: first });
    assert.strictEqual(await image(kind, `e2e-${kind}`), first);
    await k(['rollout', 'status', `${kind}/e2e-${kind}`, '-n', 'default', '--timeout=90s']);
    await tab.waitForState('complete');
    await screenshot(page, `rollout-${kind}`);
    page.assertClean();
  });
}
