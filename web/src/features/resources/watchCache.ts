import type { QueryClient } from '@tanstack/react-query';
import type { KubeObject } from '../../api/kube';
import type { HubClient, WatchEvent, WatchSubscription } from '../../hub';
import { emptyWatchState, reduceWatch, watchFailed, type WatchState } from './watchReducer';

/** The query key under which a watch's state lives in the TanStack Query cache. */
export const watchKey = (w: WatchSubscription) =>
  ['watch', w.cluster, w.group, w.version, w.resource, w.namespace ?? '', w.labelSelector ?? '', w.fieldSelector ?? ''] as const;

interface Running {
  users: number;
  stop: () => void;
}

const running = new Map<string, Running>();
let nextChannel = 0;

/**
 * Subscribes a hub watch channel for `w` (shared by every caller with the same key) and
 * applies each frame to the query cache in place with setQueryData: no refetch ever. Returns
 * the release function; the channel is unsubscribed when its last user releases it.
 */
export function retainWatch(queryClient: QueryClient, hub: HubClient, w: WatchSubscription): () => void {
  const key = watchKey(w);
  const id = JSON.stringify(key);
  let entry = running.get(id);
  if (!entry) {
    const update = (change: (s: WatchState) => WatchState) =>
      queryClient.setQueryData<WatchState>(key, (s) => change(s ?? emptyWatchState));
    const subscription = hub.subscribe(`watch:w${++nextChannel}`, w, {
      onMessage: (type, payload) => {
        if (type === 'resource_watch') update((s) => reduceWatch(s, payload as WatchEvent<KubeObject>));
      },
      onError: (error) => update((s) => watchFailed(s, error)),
    });
    entry = { users: 0, stop: () => subscription.close() };
    running.set(id, entry);
  }
  entry.users++;
  const held = entry;
  return () => {
    if (--held.users === 0) {
      held.stop();
      running.delete(id);
    }
  };
}
