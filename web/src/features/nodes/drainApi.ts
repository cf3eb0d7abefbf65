import { ApiError } from '../../api/errors';
import { request } from '../../api/http';
import { getObject, kubePath, kubeUrl, listObjects, patchObject } from '../../api/kube';
import type { DrainApi, DrainClock } from './drainRunner';

const nodes = { group: '', version: 'v1', resource: 'nodes' };
const pods = { group: '', version: 'v1', resource: 'pods' };
const notFound = (e: unknown) => e instanceof ApiError && e.status === 404;

/** The drain's calls as kubectl drain makes them, through the resource API as the signed-in user. */
export function drainApi(cluster: string, node: string): DrainApi {
  return {
    cordon: async () => {
      await patchObject(cluster, nodes, undefined, node, { spec: { unschedulable: true } }, { type: 'strategic' });
    },
    listPods: async () => (await listObjects(cluster, pods, undefined, { fieldSelector: `spec.nodeName=${node}` })).items,
    nodeExists: async () => {
      try {
        await getObject(cluster, nodes, undefined, node);
        return true;
      } catch (e) {
        if (notFound(e)) return false;
        throw e;
      }
    },
    evict: async (pod) => {
      await request(kubeUrl(cluster, kubePath(pods, pod.namespace, pod.name, 'eviction')), {
        method: 'POST',
        body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod.name, namespace: pod.namespace }, deleteOptions: {} },
      });
    },
    podGone: async (pod) => {
      try {
        return (await getObject(cluster, pods, pod.namespace, pod.name)).metadata.uid !== pod.uid;
      } catch (e) {
        if (notFound(e)) return true;
        throw e;
      }
    },
  };
}

export const realClock: DrainClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
