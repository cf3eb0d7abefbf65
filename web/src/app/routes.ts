/**
 * Shareable URLs: `/c/{cluster}/{group}/{version}/{resource}/{namespaces}` (a list) and
 * `/c/{cluster}/{group}/{version}/{resource}/{namespace}/{name}` (one object).
 * Tokens: group `core` is the core group (""); namespaces `-` means all namespaces (in a
 * list) or no namespace (a cluster-scoped object); several namespaces are comma-separated
 * (`team-a,team-b`; commas cannot occur in namespace names).
 */
export interface Gvr {
  group: string;
  version: string;
  resource: string;
}

export const coreGroupToken = 'core';
export const allNamespacesToken = '-';

export const groupToUrl = (group: string) => (group === '' ? coreGroupToken : group);
export const groupFromUrl = (token: string) => (token === coreGroupToken ? '' : token);

/** Namespaces of a list URL; [] means all namespaces. */
export const namespacesFromUrl = (token: string | undefined): string[] =>
  !token || token === allNamespacesToken ? [] : token.split(',').filter(Boolean);
export const namespacesToUrl = (namespaces: readonly string[]) =>
  namespaces.length === 0 ? allNamespacesToken : namespaces.map(encodeURIComponent).join(',');

export function listPath(cluster: string, gvr: Gvr, namespaces: readonly string[]): string {
  return `/c/${encodeURIComponent(cluster)}/${groupToUrl(gvr.group)}/${gvr.version}/${gvr.resource}/${namespacesToUrl(namespaces)}`;
}

export function objectPath(cluster: string, gvr: Gvr, namespace: string | undefined, name: string, tab?: string): string {
  const ns = namespace ? encodeURIComponent(namespace) : allNamespacesToken;
  const base = `/c/${encodeURIComponent(cluster)}/${groupToUrl(gvr.group)}/${gvr.version}/${gvr.resource}/${ns}/${encodeURIComponent(name)}`;
  return tab ? `${base}?tab=${encodeURIComponent(tab)}` : base;
}

export const podsGvr: Gvr = { group: '', version: 'v1', resource: 'pods' };

const clusterRoot = (cluster: string) => `/c/${encodeURIComponent(cluster)}`;

/** Views that are not one kind: events of namespaces, a node's drain, the audit log, a terminal recording. */
export const eventsPath = (cluster: string, namespaces: readonly string[]) => `${clusterRoot(cluster)}/events/${namespacesToUrl(namespaces)}`;
export const drainPath = (cluster: string, node: string) => `${clusterRoot(cluster)}/drain/${encodeURIComponent(node)}`;
export const createPath = (cluster: string) => `${clusterRoot(cluster)}/create`;
export const auditPath = (cluster: string) => `${clusterRoot(cluster)}/audit`;
export const recordingPath = (cluster: string, id: string) => `${clusterRoot(cluster)}/recordings/${encodeURIComponent(id)}`;
