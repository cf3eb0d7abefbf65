// The real kubectl against the demo cluster, through the kubeconfig Porthole's demo mode writes.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { waitUntil } from './server.mjs';

const run = promisify(execFile);

/** Runs kubectl with `args` (and `input` on stdin); resolves with stdout, rejects with stderr. */
export async function kubectl(kubeconfig, args, { input, context = 'sim-admin' } = {}) {
  const child = run('kubectl', ['--kubeconfig', kubeconfig, '--context', context, ...args], { timeout: 60_000 });
  if (input !== undefined) {
    child.child.stdin.end(input);
  }
  try {
    return (await child).stdout;
  } catch (e) {
    throw new Error(`kubectl ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}

/** The name of a Running pod matching `selector` in `namespace`, once there is one. */
export async function runningPod(kubeconfig, namespace, selector) {
  return waitUntil(`a running pod ${namespace}/${selector}`, async () => {
    const pods = JSON.parse(await kubectl(kubeconfig, ['get', 'pods', '-n', namespace, '-l', selector, '-o', 'json']));
    return pods.items.find((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp)?.metadata.name;
  });
}
