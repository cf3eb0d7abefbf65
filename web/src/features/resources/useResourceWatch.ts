import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { useHub, type WatchSubscription } from '../../hub';
import { retainWatch, watchKey } from './watchCache';
import { emptyWatchState, type WatchState } from './watchReducer';

/**
 * Live objects of one kind over the hub: one watch channel per namespace (none for all
 * namespaces or a cluster-scoped kind), kept in the TanStack Query cache and updated in place
 * by the channel's frames. Returns one WatchState per watch, in the order of `watches`.
 */
export function useResourceWatch(watches: readonly WatchSubscription[]): WatchState[] {
  const queryClient = useQueryClient();
  const hub = useHub();
  const ids = JSON.stringify(watches);
  const stable = useMemo(() => JSON.parse(ids) as WatchSubscription[], [ids]);

  useEffect(() => {
    const releases = stable.map((w) => retainWatch(queryClient, hub, w));
    return () => releases.forEach((release) => release());
  }, [queryClient, hub, stable]);

  return useQueries({
    queries: stable.map((w) => ({
      queryKey: watchKey(w),
      // The hub fills this entry; the query itself only ever yields what is already cached.
      queryFn: () => queryClient.getQueryData<WatchState>(watchKey(w)) ?? emptyWatchState,
      staleTime: Infinity,
      gcTime: 60_000,
      structuralSharing: false,
    })),
    combine: (results) => results.map((r) => r.data ?? emptyWatchState),
  });
}
