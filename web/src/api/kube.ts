import type { Gvr } from '../app/routes';
import { request } from './http';

/** The Kubernetes object shape the UI reads (Kubernetes' own JSON, not re-modelled). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface KubeList<T = KubeObject> {
  items: T[];
  metadata: { resourceVersion?: string };
}

/** The Kubernetes REST path of a collection or an object (no leading slash). */
export function kubePath(gvr: Gvr, namespace?: string, name?: string, subresource?: string): string {
  const prefix = gvr.group === '' ? `api/${gvr.version}` : `apis/${gvr.group}/${gvr.version}`;
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const obj = name ? `/${encodeURIComponent(name)}` : '';
  return `${prefix}${ns}/${gvr.resource}${obj}${subresource ? `/${subresource}` : ''}`;
}

/** The resource API URL for a Kubernetes path on a cluster. */
export function kubeUrl(cluster: string, path: string, query?: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value) params.set(key, value);
  const qs = params.toString();
  return `/api/v1/clusters/${encodeURIComponent(cluster)}/k8s/${path}${qs ? `?${qs}` : ''}`;
}

export const getObject = <T = KubeObject>(cluster: string, gvr: Gvr, namespace: string | undefined, name: string) =>
  request<T>(kubeUrl(cluster, kubePath(gvr, namespace, name)));

export const getYaml = (cluster: string, gvr: Gvr, namespace: string | undefined, name: string) =>
  request<string>(kubeUrl(cluster, kubePath(gvr, namespace, name)), { accept: 'application/yaml' });

export const listObjects = <T = KubeObject>(cluster: string, gvr: Gvr, namespace?: string, query?: Record<string, string | undefined>) =>
  request<KubeList<T>>(kubeUrl(cluster, kubePath(gvr, namespace), query));

/** Server-side apply (field manager porthole); `dryRun` returns the object as it would become. */
export const applyYaml = (cluster: string, gvr: Gvr, namespace: string | undefined, name: string, yaml: string, options: { dryRun?: boolean; force?: boolean }) =>
  request<KubeObject>(
    kubeUrl(cluster, kubePath(gvr, namespace, name), {
      fieldManager: 'porthole',
      dryRun: options.dryRun ? 'All' : undefined,
      force: options.force ? 'true' : undefined,
    }),
    { method: 'PATCH', body: yaml, contentType: 'application/apply-patch+yaml' },
  );

/** The patch types of a Kubernetes PATCH (kubectl sends strategic merge for built-in kinds). */
export type PatchType = 'merge' | 'strategic' | 'json';

const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

export const patchObject = (
  cluster: string,
  gvr: Gvr,
  namespace: string | undefined,
  name: string,
  patch: unknown,
  options: { subresource?: string; type?: PatchType } = {},
) =>
  request<KubeObject>(kubeUrl(cluster, kubePath(gvr, namespace, name, options.subresource)), {
    method: 'PATCH',
    body: JSON.stringify(patch),
    contentType: patchContentTypes[options.type ?? 'merge'],
  });

export const deleteObject = (cluster: string, gvr: Gvr, namespace: string | undefined, name: string) =>
  request<unknown>(kubeUrl(cluster, kubePath(gvr, namespace, name)), { method: 'DELETE' });
