import { useQuery } from '@tanstack/react-query';
import { fetchApiResources, type ApiResource } from '../../api/clusters';
import type { Gvr } from '../../app/routes';

/** Discovery of a cluster (the server reloads it when CRDs change; refreshed every minute here). */
export function useApiResources(cluster: string) {
  return useQuery({ queryKey: ['api-resources', cluster], queryFn: () => fetchApiResources(cluster), staleTime: 60_000, refetchInterval: 60_000 });
}

/** The discovery entry of `gvr`, once loaded. */
export function useApiResource(cluster: string, gvr: Gvr): ApiResource | undefined {
  const { data } = useApiResources(cluster);
  return data?.find((r) => r.group === gvr.group && r.version === gvr.version && r.name === gvr.resource);
}
