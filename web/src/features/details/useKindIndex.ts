import { useApiResources } from '../kinds/useApiResources';
import type { Gvr } from '../../app/routes';

/** Finds the resource of an `apiVersion` + `kind` (owner references, events) in discovery. */
export function useKindIndex(cluster: string) {
  const { data } = useApiResources(cluster);
  return (apiVersion: string, kind: string): (Gvr & { namespaced: boolean }) | undefined => {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const r = data?.find((x) => x.kind === kind && x.group === group && x.version === version && !x.name.includes('/'));
    return r && { group: r.group, version: r.version, resource: r.name, namespaced: r.namespaced };
  };
}
