import { useQueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import type { WatchState } from '../resources/watchReducer';
import { useClusters } from './ClusterPicker';

/** Is any live watch of `cluster` told (STATUS) that the API server is unreachable? */
function useWatchesUnreachable(cluster: string): string | null {
  const queryClient = useQueryClient();
  const cache = queryClient.getQueryCache();
  const read = () => {
    const down = cache
      .findAll({ queryKey: ['watch', cluster] })
      .map((q) => q.state.data as WatchState | undefined)
      .find((s) => s && !s.reachable);
    return down ? (down.message ?? 'unreachable') : null;
  };
  return useSyncExternalStore((notify) => cache.subscribe(notify), read);
}

/** A banner while the cluster is unreachable (cluster list status or a watch's STATUS frame). */
export function UnreachableBanner({ cluster }: { cluster: string }) {
  const listed = useClusters().data?.find((c) => c.name === cluster);
  const watchMessage = useWatchesUnreachable(cluster);
  if (listed?.status !== 'unreachable' && !watchMessage) return null;
  return (
    <div className="banner bad" role="alert" data-testid="cluster-unreachable">
      Cluster <strong>{cluster}</strong> is unreachable{watchMessage ? `: ${watchMessage}` : ''}. Showing the last known state; Porthole keeps retrying.
    </div>
  );
}
