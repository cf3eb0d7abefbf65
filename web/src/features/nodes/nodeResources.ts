import type { KubeObject } from '../../api/kube';
import { formatBytes, formatCpu, parseQuantity } from './quantity';

type Resources = Record<string, string | undefined>;
interface Container {
  resources?: { requests?: Resources; limits?: Resources };
}
interface PodSpec {
  containers?: Container[];
  initContainers?: (Container & { restartPolicy?: string })[];
  overhead?: Resources;
}

/** A pod that still holds its node's resources (not Succeeded or Failed). */
export const isActivePod = (pod: KubeObject) => !['Succeeded', 'Failed'].includes((pod.status as { phase?: string } | undefined)?.phase ?? '');

/**
 * What a pod asks of its node for one resource, as the scheduler and `kubectl describe node` count
 * it: the larger of the containers' sum and any one init container (sidecars, restartPolicy
 * Always, add to both), plus the pod overhead.
 */
export function podAmount(pod: KubeObject, resource: string, kind: 'requests' | 'limits'): number {
  const spec = (pod.spec ?? {}) as PodSpec;
  const of = (c: Container) => parseQuantity(c.resources?.[kind]?.[resource]) || 0;
  let sidecars = 0;
  let init = 0;
  for (const c of spec.initContainers ?? []) {
    if (c.restartPolicy === 'Always') sidecars += of(c);
    else init = Math.max(init, sidecars + of(c));
  }
  const containers = (spec.containers ?? []).reduce((sum, c) => sum + of(c), 0) + sidecars;
  return Math.max(containers, init) + (parseQuantity(spec.overhead?.[resource]) || 0);
}

export interface ResourceRow {
  resource: string;
  capacity: string;
  allocatable: string;
  requested: string;
  limits: string;
  /** Requested as a whole percentage of allocatable (undefined when nothing is allocatable). */
  percent?: number;
}

const shown = ['cpu', 'memory', 'ephemeral-storage', 'pods'];

/** Capacity, allocatable, requested and limits of a node's resources, summed over its active pods. */
export function nodeResources(node: KubeObject, pods: readonly KubeObject[]): ResourceRow[] {
  const status = (node.status ?? {}) as { capacity?: Resources; allocatable?: Resources };
  const active = pods.filter(isActivePod);
  const names = [...new Set([...shown.filter((r) => status.capacity?.[r] ?? status.allocatable?.[r]), ...Object.keys(status.allocatable ?? {})])];
  return names.map((resource) => {
    const format = resource === 'cpu' ? formatCpu : resource === 'pods' ? String : formatBytes;
    const allocatable = parseQuantity(status.allocatable?.[resource]);
    const requested = resource === 'pods' ? active.length : active.reduce((sum, p) => sum + podAmount(p, resource, 'requests'), 0);
    const limits = resource === 'pods' ? Number.NaN : active.reduce((sum, p) => sum + podAmount(p, resource, 'limits'), 0);
    return {
      resource,
      capacity: format(parseQuantity(status.capacity?.[resource])),
      allocatable: format(allocatable),
      requested: format(requested),
      limits: Number.isNaN(limits) ? '' : format(limits),
      percent: allocatable > 0 ? Math.floor((requested / allocatable) * 100) : undefined, // truncated, as kubectl describe node
    };
  });
}
