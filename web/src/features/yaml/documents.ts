import { parseAllDocuments } from 'yaml';
import type { ApiResource } from '../../api/clusters';
import type { KubeObject } from '../../api/kube';
import type { Gvr } from '../../app/routes';

/** One document of a multi-document YAML, resolved to where it is applied, or why it cannot be. */
export type PlannedDocument =
  | { index: number; ok: true; object: KubeObject; yaml: string; gvr: Gvr; namespace?: string; label: string }
  | { index: number; ok: false; error: string; label: string };

/**
 * Splits `text` into its documents (empty ones dropped) and resolves each kind through discovery:
 * apiVersion + kind must be served, metadata.name is required (server-side apply names the
 * object), and a namespaced object without a namespace goes to `defaultNamespace`.
 */
export function planDocuments(text: string, resources: readonly ApiResource[], defaultNamespace: string): PlannedDocument[] {
  const out: PlannedDocument[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    const index = i + 1;
    if (doc.errors.length > 0) {
      out.push({ index, ok: false, error: `YAML error: ${doc.errors[0].message}`, label: `document ${index}` });
      return;
    }
    const value = doc.toJS() as KubeObject | null;
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      out.push({ index, ok: false, error: 'The document is not an object.', label: `document ${index}` });
      return;
    }
    const { apiVersion, kind } = value;
    const name = value.metadata?.name;
    const label = `${kind ?? '?'} ${name ?? '?'}`;
    if (!apiVersion || !kind) {
      out.push({ index, ok: false, error: 'apiVersion and kind are required.', label });
      return;
    }
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const resource = resources.find((r) => r.kind === kind && r.group === group && r.version === version && !r.name.includes('/'));
    if (!resource) {
      out.push({ index, ok: false, error: `The cluster serves no kind ${kind} in ${apiVersion}.`, label });
      return;
    }
    if (!name) {
      out.push({ index, ok: false, error: 'metadata.name is required (server-side apply names the object; generateName is not applied).', label });
      return;
    }
    const object = structuredClone(value);
    let namespace: string | undefined;
    if (resource.namespaced) {
      namespace = object.metadata.namespace || defaultNamespace;
      object.metadata.namespace = namespace;
    } else if (object.metadata.namespace) {
      out.push({ index, ok: false, error: `${kind} is cluster-scoped: remove metadata.namespace.`, label });
      return;
    }
    out.push({
      index,
      ok: true,
      object,
      yaml: JSON.stringify(object),
      gvr: { group, version, resource: resource.name },
      namespace,
      label: `${kind} ${namespace ? `${namespace}/` : ''}${name}`,
    });
  });
  return out;
}
