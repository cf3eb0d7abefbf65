import type { ApiResource } from '../../api/clusters';
import type { Gvr } from '../../app/routes';

export const categories = ['Workloads', 'Network', 'Config', 'Storage', 'Access control', 'Cluster', 'Custom resources'] as const;
export type Category = (typeof categories)[number];

const builtIn: Record<string, Category> = {
  pods: 'Workloads', deployments: 'Workloads', statefulsets: 'Workloads', daemonsets: 'Workloads',
  replicasets: 'Workloads', jobs: 'Workloads', cronjobs: 'Workloads', replicationcontrollers: 'Workloads',
  services: 'Network', endpoints: 'Network', endpointslices: 'Network', ingresses: 'Network',
  ingressclasses: 'Network', networkpolicies: 'Network',
  configmaps: 'Config', secrets: 'Config', resourcequotas: 'Config', limitranges: 'Config',
  horizontalpodautoscalers: 'Config', poddisruptionbudgets: 'Config', mutatingwebhookconfigurations: 'Config',
  validatingwebhookconfigurations: 'Config', validatingadmissionpolicies: 'Config', validatingadmissionpolicybindings: 'Config',
  persistentvolumeclaims: 'Storage', persistentvolumes: 'Storage', storageclasses: 'Storage',
  volumeattachments: 'Storage', csidrivers: 'Storage', csinodes: 'Storage', csistoragecapacities: 'Storage',
  serviceaccounts: 'Access control', roles: 'Access control', rolebindings: 'Access control',
  clusterroles: 'Access control', clusterrolebindings: 'Access control',
};

export const categoryOf = (r: ApiResource): Category => (r.crd ? 'Custom resources' : (builtIn[r.name] ?? 'Cluster'));

export const sameGvr = (a: Gvr, b: Gvr) => a.group === b.group && a.version === b.version && a.resource === b.resource;

/** Kinds a person browses: listable and watchable, top-level, preferred version; events once (core). */
export function browsable(resources: readonly ApiResource[]): ApiResource[] {
  return resources.filter(
    (r) =>
      r.preferred &&
      !r.name.includes('/') &&
      r.verbs.includes('list') &&
      r.verbs.includes('watch') &&
      !(r.name === 'events' && r.group === 'events.k8s.io'),
  );
}

/** The sidebar: browsable kinds by category, in category order, by kind name inside. */
export function groupByCategory(resources: readonly ApiResource[]): [Category, ApiResource[]][] {
  const byCategory = new Map<Category, ApiResource[]>(categories.map((c) => [c, []]));
  for (const r of browsable(resources)) byCategory.get(categoryOf(r))!.push(r);
  return [...byCategory]
    .filter(([, list]) => list.length > 0)
    .map(([c, list]) => [c, list.sort((a, b) => a.kind.localeCompare(b.kind))]);
}

export const gvrOf = (r: ApiResource): Gvr => ({ group: r.group, version: r.version, resource: r.name });

/** The stable test id of a kind's sidebar link: `nav-pods`, `nav-widgets.example.com`. */
export const kindTestId = (r: Gvr) => `nav-${r.group ? `${r.resource}.${r.group}` : r.resource}`;
