import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/errors';
import type { KubeObject } from '../../api/kube';
import { runDrain, type DrainApi, type DrainProgress } from './drainRunner';

const rs = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'r', controller: true }];
const pod = (name: string, ownerReferences: KubeObject['metadata']['ownerReferences'] = rs): KubeObject => ({
  metadata: { name, namespace: 'ns', uid: name, ownerReferences },
  spec: {},
  status: { phase: 'Running' },
});

const pdbRefusal = () =>
  new ApiError(429, "Cannot evict pod as it would violate the pod's disruption budget.", 'TooManyRequests', undefined, {
    kind: 'Status',
    details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget db needs 1 healthy pods and has 1 currently' }] },
  });

/** A cluster in memory: evictions answer per pod, deletions land after `deleteAfter` polls. */
function fakeCluster(pods: KubeObject[], evict: (name: string) => void = () => {}) {
  const state = { cordoned: false, nodeExists: true, evictions: [] as string[], deleted: new Set<string>(), polls: new Map<string, number>() };
  const api: DrainApi = {
    cordon: async () => {
      if (!state.nodeExists) throw new ApiError(404, 'nodes "n1" not found', 'NotFound');
      state.cordoned = true;
    },
    listPods: async () => pods,
    nodeExists: async () => state.nodeExists,
    evict: async (p) => {
      state.evictions.push(p.name);
      evict(p.name);
    },
    podGone: async (p) => {
      const n = (state.polls.get(p.name) ?? 0) + 1;
      state.polls.set(p.name, n);
      return n >= 2;
    },
  };
  return { api, state };
}

function fakeClock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

const run = (api: DrainApi, timeoutMs = 60_000, consent = { emptyDir: false, unmanaged: false }) => {
  const reports: DrainProgress[] = [];
  return runDrain(api, { consent, timeoutMs }, fakeClock(), (p) => reports.push(p), new AbortController().signal).then((r) => ({ result: r, reports }));
};

describe('runDrain', () => {
  it('managedPods_CordonsEvictsWaitsAndIsDone', async () => {
    const { api, state } = fakeCluster([pod('a'), pod('b'), pod('agent', [{ ...rs[0], kind: 'DaemonSet' }])]);
    const { result, reports } = await run(api);
    expect(state.cordoned).toBe(true);
    expect(state.evictions).toEqual(['a', 'b']);
    expect(result.phase).toBe('done');
    expect(result.message).toBe('Drained: 2 pod(s) evicted, 1 skipped.');
    expect(result.pods.map((p) => [p.name, p.state])).toEqual([['a', 'gone'], ['agent', 'skipped'], ['b', 'gone']]);
    expect(reports.some((r) => r.pods.some((p) => p.state === 'terminating'))).toBe(true);
  });

  it('bareOrEmptyDirPodWithoutConsent_BlocksBeforeAnyEviction', async () => {
    const { api, state } = fakeCluster([pod('a'), pod('bare', [])]);
    const { result } = await run(api);
    expect(result.phase).toBe('blocked');
    expect(result.message).toMatch(/ns\/bare has no controller/);
    expect(state.evictions).toEqual([]);
    expect(state.cordoned).toBe(true);
    expect((await run(api, 60_000, { emptyDir: false, unmanaged: true })).result.phase).toBe('done');
  });

  it('budgetNeverAllows_StopsAtTimeoutNamingThePodAndTheBudget', async () => {
    const { api, state } = fakeCluster([pod('db-0'), pod('web')], (name) => {
      if (name === 'db-0') throw pdbRefusal();
    });
    const { result } = await run(api, 20_000);
    expect(result.phase).toBe('timeout');
    expect(result.message).toBe(
      "The drain stopped at its timeout of 20 s; the node stays cordoned; not evicted: ns/db-0 (Cannot evict pod as it would violate the pod's disruption budget. The disruption budget db needs 1 healthy pods and has 1 currently).",
    );
    expect(result.pods.find((p) => p.name === 'web')?.state).toBe('gone');
    // Retried every 5 s within the 20 s, as kubectl does.
    expect(state.evictions.filter((n) => n === 'db-0').length).toBe(5);
  });

  it('nodeDeletedDuringTheDrain_EndsNodeDeleted', async () => {
    const cluster = fakeCluster([pod('a')], () => {
      throw pdbRefusal();
    });
    const reports: DrainProgress[] = [];
    const promise = runDrain(cluster.api, { consent: { emptyDir: false, unmanaged: false }, timeoutMs: 60_000 }, fakeClock(), (p) => {
      reports.push(p);
      if (p.pods.some((x) => x.state === 'retrying')) cluster.state.nodeExists = false;
    }, new AbortController().signal);
    const result = await promise;
    expect(result.phase).toBe('node-deleted');
    expect(result.message).toMatch(/^The node was deleted during the drain; not evicted: ns\/a \(Cannot evict pod/);
  });

  it('otherEvictionErrors_FailThatPodAndNotFoundIsGone', async () => {
    const { api } = fakeCluster([pod('a'), pod('b')], (name) => {
      if (name === 'a') throw new ApiError(403, 'pods "a" is forbidden', 'Forbidden');
      throw new ApiError(404, 'pods "b" not found', 'NotFound');
    });
    const { result } = await run(api);
    expect(result.phase).toBe('failed');
    expect(result.message).toBe('1 pod(s) could not be evicted: ns/a (pods "a" is forbidden).');
    expect(result.pods.find((p) => p.name === 'b')?.state).toBe('gone');
  });

  it('stopped_EndsStoppedAndCordonedNodeDeleted_EndsAtOnce', async () => {
    const { api } = fakeCluster([pod('a')], () => {
      throw pdbRefusal();
    });
    const abort = new AbortController();
    const result = await runDrain(api, { consent: { emptyDir: false, unmanaged: false }, timeoutMs: 60_000 }, fakeClock(), (p) => {
      if (p.pods.some((x) => x.state === 'retrying')) abort.abort();
    }, abort.signal);
    expect(result.phase).toBe('stopped');
    const gone = fakeCluster([pod('a')]);
    gone.state.nodeExists = false;
    expect((await run(gone.api)).result.phase).toBe('node-deleted');
  });
});
