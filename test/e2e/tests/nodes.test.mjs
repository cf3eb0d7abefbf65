// Nodes in the console: the node page (conditions, capacity/allocatable/requested as kubectl
// describe node counts them, taints, pods), cordon and uncordon, and a drain run in the browser
// as kubectl drain runs (DaemonSet pods skipped, emptyDir and unmanaged pods only with consent,
// PDB refusals retried until the timeout, which names the pods), and a node deleted mid-drain.
import assert from 'node:assert';
import { after, before, test } from 'node:test';
import { launch, newPage, screenshot } from '../lib/browser.mjs';
import { kubectl } from '../lib/kubectl.mjs';
import { startPorthole, waitUntil } from '../lib/server.mjs';
import { DrainPage } from '../pages/DrainPage.mjs';
import { ObjectPage } from '../pages/ObjectPage.mjs';

let server;
let browser;

before(async () => {
  server = await startPorthole({ name: 'nodes' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const k = (args, options) => kubectl(server.kubeconfig, args, options);

// A drain's expected answers: 429 for a refused eviction, 404 once a pod (or the node) is gone.
const drainAnswers = [/\/pods\/e2e-node-[^/]+\/eviction$/, /\/namespaces\/default\/pods\/e2e-node-[^/]+$/, /\/api\/v1\/nodes\/e2e-node-b$/];

/**
 * A node of our own (nothing else lands on it: pods choose it by the e2e label) and its
 * workloads: a Deployment whose one pod a PDB protects, and with `full` also a Deployment of 2,
 * one with an emptyDir, a DaemonSet and a bare pod.
 */
function manifests(node, full) {
  const pinned = `nodeSelector: { e2e-node: ${node} }`;
  const deployment = (name, replicas, requests, extra = '') => `---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: default }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      ${pinned}
      containers: [{ name: app, image: nginx:1.27, resources: { requests: ${requests} } }]
${extra}`;
  return `apiVersion: v1
kind: Node
metadata:
  name: ${node}
  labels: { kubernetes.io/hostname: ${node}, e2e-node: ${node} }
spec:
  taints: [{ key: e2e, value: drain, effect: PreferNoSchedule }]
status:
  capacity: { cpu: "4", memory: 8Gi, pods: "110" }
  allocatable: { cpu: 3800m, memory: 7Gi, pods: "110" }
  conditions:
  - { type: Ready, status: "True", reason: KubeletReady, message: kubelet is posting ready status }
${deployment(`${node}-db`, 1, '{ cpu: 200m, memory: 128Mi }')}---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: ${node}-db, namespace: default }
spec:
  minAvailable: 1
  selector: { matchLabels: { app: ${node}-db } }
${full ? others(node, deployment, pinned) : ''}`;
}

function others(node, deployment, pinned) {
  return `${deployment(`${node}-web`, 2, '{ cpu: 100m, memory: 64Mi }')}${deployment(`${node}-cache`, 1, '{ cpu: 100m }', '      volumes: [{ name: scratch, emptyDir: {} }]\n')}---
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: ${node}-agent, namespace: default }
spec:
  selector: { matchLabels: { app: ${node}-agent } }
  template:
    metadata: { labels: { app: ${node}-agent } }
    spec:
      ${pinned}
      containers: [{ name: agent, image: fluent-bit:3, resources: { requests: { cpu: 50m, memory: 32Mi } } }]
---
apiVersion: v1
kind: Pod
metadata: { name: ${node}-bare, namespace: default }
spec:
  nodeName: ${node}
  containers: [{ name: c, image: busybox, command: [sleep, "3600"], resources: { requests: { cpu: 10m } } }]
`;
}

/** Pods bound to the node, by name. */
async function podsOn(node) {
  return JSON.parse(await k(['get', 'pods', '-n', 'default', '--field-selector', `spec.nodeName=${node}`, '-o', 'json'])).items.map((p) => p.metadata.name).sort();
}

async function setUpNode(node, full = true) {
  const count = full ? 6 : 1;
  await k(['apply', '-f', '-'], { input: manifests(node, full) });
  await waitUntil(`${count} running pods on ${node}`, async () => {
    const pods = JSON.parse(await k(['get', 'pods', '-n', 'default', '--field-selector', `spec.nodeName=${node}`, '-o', 'json'])).items;
    return pods.length === count && pods.every((p) => p.status?.phase === 'Running') && (await k(['get', 'pdb', `${node}-db`, '-n', 'default', '-o', 'jsonpath={.status.currentHealthy}'])) === '1';
  });
}

test('the node page shows its resources as kubectl describe node counts them, its taints and pods; cordon and uncordon', async () => {
  await setUpNode('e2e-node-a');
  const page = await newPage(browser.context);
  await new ObjectPage(page, server.base).open({ resource: 'nodes', namespace: '-', name: 'e2e-node-a' });
  await page.getByTestId('conditions').locator('tr', { hasText: 'KubeletReady' }).waitFor();
  await page.getByTestId('tab-node').click();

  const describe = await k(['describe', 'node', 'e2e-node-a']);
  for (const resource of ['cpu', 'memory']) {
    const expected = new RegExp(`^\\s+${resource}\\s+(\\S+ \\(\\d+%\\))`, 'm').exec(describe.slice(describe.indexOf('Allocated resources')))[1];
    await page.getByTestId(`resource-${resource}`).getByTestId('requested').filter({ hasText: expected }).waitFor();
  }
  assert.strictEqual((await page.getByTestId('resource-cpu').locator('td').nth(2).innerText()).trim(), '3.8');
  assert.strictEqual((await page.getByTestId('node-taints').innerText()).trim(), 'e2e=drain:PreferNoSchedule');
  for (const name of await podsOn('e2e-node-a')) await page.getByTestId(`node-pod-default/${name}`).waitFor();
  await screenshot(page, 'node-page');

  await page.getByTestId('cordon-button').click();
  await page.getByTestId('uncordon-button').waitFor();
  assert.strictEqual(await k(['get', 'node', 'e2e-node-a', '-o', 'jsonpath={.spec.unschedulable}']), 'true');
  await page.getByTestId('uncordon-button').click();
  await page.getByTestId('cordon-button').waitFor();
  assert.strictEqual(await k(['get', 'node', 'e2e-node-a', '-o', 'jsonpath={.spec.unschedulable}']), '');
  page.assertClean();
});

test('a drain skips DaemonSet pods, needs consent for emptyDir and bare pods, and stops at its timeout naming the pod its PDB protects', async () => {
  const node = 'e2e-node-a';
  const page = await newPage(browser.context, { expectedHttpErrors: drainAnswers });
  await new ObjectPage(page, server.base).open({ resource: 'nodes', namespace: '-', name: node });
  await page.getByTestId('drain-button').click();
  const drain = new DrainPage(page, server.base);
  await page.getByTestId('drain-page').waitFor();
  await drain.pods('default', `${node}-agent-`).first().waitFor();
  assert.strictEqual(await drain.pods('default', `${node}-agent-`).first().getAttribute('data-state'), 'skip');
  assert.strictEqual(await drain.pod('default', `${node}-bare`).getAttribute('data-state'), 'blocked');
  assert.strictEqual(await drain.pods('default', `${node}-cache-`).first().getAttribute('data-state'), 'blocked');
  assert.strictEqual(await page.getByTestId('drain-start').isDisabled(), true);

  await drain.start({ timeoutSeconds: 12, emptyDir: true, unmanaged: true });
  await drain.pods('default', `${node}-db-`).first().locator('[data-testid="drain-pod-message"]', { hasText: `The disruption budget ${node}-db needs 1 healthy pods and has 1 currently` }).waitFor({ timeout: 60_000 });
  await screenshot(page, 'drain-retrying');
  const status = await drain.waitForPhase('timeout');
  const db = (await podsOn(node)).find((n) => n.startsWith(`${node}-db-`));
  assert.match(status, new RegExp(`stopped at its timeout of 12 s; the node stays cordoned; not evicted: default/${db} \\(Cannot evict pod as it would violate the pod's disruption budget\\. The disruption budget ${node}-db needs 1 healthy pods`));
  for (const prefix of [`${node}-web-`, `${node}-cache-`, `${node}-bare`]) {
    assert.strictEqual(await drain.pods('default', prefix).first().getAttribute('data-state'), 'gone', prefix);
  }
  await screenshot(page, 'drain-timeout');

  // What kubectl sees: cordoned; only the PDB-protected pod and the DaemonSet pod are left.
  assert.strictEqual(await k(['get', 'node', node, '-o', 'jsonpath={.spec.unschedulable}']), 'true');
  const left = await podsOn(node);
  assert.strictEqual(left.length, 2, left.join(', '));
  assert.ok(left.some((n) => n === db) && left.some((n) => n.startsWith(`${node}-agent-`)), left.join(', '));
  page.assertClean();
});

test('a node deleted during a drain ends it with a clear answer', async () => {
  const node = 'e2e-node-b';
  await setUpNode(node, false);
  const page = await newPage(browser.context, { expectedHttpErrors: drainAnswers });
  const drain = await new DrainPage(page, server.base).open(node);
  await drain.start({ timeoutSeconds: 300 });
  await drain.pods('default', `${node}-db-`).first().and(page.locator('[data-state="retrying"]')).waitFor({ timeout: 60_000 });
  await k(['delete', 'node', node, '--wait=false']);
  const status = await drain.waitForPhase('node-deleted');
  assert.match(status, /The node was deleted during the drain; not evicted: default\/e2e-node-b-db-/);
  await page.getByTestId('drain-node-state').filter({ hasText: 'does not exist' }).waitFor();
  await screenshot(page, 'drain-node-deleted');
  await assert.rejects(k(['get', 'node', node]), /not found/);
  page.assertClean();
});
