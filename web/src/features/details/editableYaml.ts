import { stringify } from 'yaml';
import type { KubeObject } from '../../api/kube';

const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The YAML a person edits and applies: the object without status, managedFields and
 * resourceVersion (server-side apply needs no version: a field another manager owns is a
 * conflict instead, which the user may force), nor kubectl's last-applied annotation.
 */
export function editableYaml(object: KubeObject): string {
  const copy = structuredClone(object) as KubeObject & { metadata: { managedFields?: unknown } };
  delete copy.status;
  delete copy.metadata.managedFields;
  delete copy.metadata.resourceVersion;
  const annotations = copy.metadata.annotations;
  if (annotations) {
    delete annotations[lastApplied];
    if (Object.keys(annotations).length === 0) delete copy.metadata.annotations;
  }
  return stringify(copy, { lineWidth: 0 });
}
