import { request } from './http';

export type ClusterStatus = 'ok' | 'connecting' | 'unreachable';

export interface ClusterSummary {
  name: string;
  server: string;
  status: ClusterStatus;
  version: string | null;
}

/** One entry of GET /api/v1/clusters/{cluster}/api-resources. */
export interface ApiResource {
  group: string;
  version: string;
  kind: string;
  name: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  subresources: string[];
  preferred: boolean;
  crd: boolean;
}

export const fetchClusters = () => request<{ clusters: ClusterSummary[] }>('/api/v1/clusters').then((r) => r.clusters);

export const fetchApiResources = (cluster: string) =>
  request<{ resources: ApiResource[] }>(`/api/v1/clusters/${encodeURIComponent(cluster)}/api-resources`).then((r) => r.resources);
