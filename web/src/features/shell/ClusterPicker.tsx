import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { switchCluster } from '../../api/auth';
import { fetchClusters } from '../../api/clusters';
import { ApiError } from '../../api/errors';
import { listPath, podsGvr } from '../../app/routes';

export const clustersKey = ['clusters'] as const;

/** The cluster list with its reachability, refreshed every 10 s. */
export function useClusters() {
  return useQuery({ queryKey: clustersKey, queryFn: fetchClusters, refetchInterval: 10_000 });
}

/** Picks the cluster: switches this session's context, then opens its pod list. */
export function ClusterPicker({ cluster, namespaces }: { cluster: string; namespaces: string[] }) {
  const { data } = useClusters();
  const navigate = useNavigate();
  const pick = async (next: string) => {
    try {
      await switchCluster(next);
    } catch (e) {
      // Without a session (auth mode none, proxy) the cluster lives only in the URL.
      if (!(e instanceof ApiError && e.code === 'no_session')) throw e;
    }
    navigate(listPath(next, podsGvr, namespaces));
  };
  return (
    <select className="cluster-picker" data-testid="cluster-picker" aria-label="Cluster" value={cluster} onChange={(e) => void pick(e.target.value)}>
      {(data ?? [{ name: cluster, status: 'ok' }]).map((c) => (
        <option key={c.name} value={c.name}>
          {c.name}
          {c.status === 'ok' ? '' : ` (${c.status})`}
        </option>
      ))}
    </select>
  );
}
