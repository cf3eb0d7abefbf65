import type { KubeObject } from '../../api/kube';
import type { HubError, WatchEvent } from '../../hub';

/**
 * The cached state of one watch channel, as kept in the TanStack Query cache. `objects` is
 * keyed by `namespace/name`; a new Map is made per applied frame (never mutated) so React
 * sees the change. SNAPSHOT frames with `continued` are gathered in `pending` and replace
 * `objects` once the last one arrives (a reconnect's snapshot replaces, it never merges).
 */
export interface WatchState {
  objects: ReadonlyMap<string, KubeObject>;
  pending: Map<string, KubeObject> | null;
  /** True once a complete snapshot arrived. */
  synced: boolean;
  reachable: boolean;
  message?: string;
  resourceVersion?: string;
  error?: HubError;
}

export const emptyWatchState: WatchState = { objects: new Map(), pending: null, synced: false, reachable: true };

export const objectKey = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

type Change = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject };

function applyChanges(state: WatchState, changes: readonly Change[], resourceVersion?: string): WatchState {
  const target = state.pending ?? state.objects;
  const next = new Map(target);
  for (const { type, object } of changes) {
    if (type === 'DELETED') next.delete(objectKey(object));
    else next.set(objectKey(object), object);
  }
  return state.pending
    ? { ...state, pending: next, resourceVersion: resourceVersion ?? state.resourceVersion }
    : { ...state, objects: next, resourceVersion: resourceVersion ?? state.resourceVersion };
}

/** Applies one `resource_watch` payload; BATCH events are applied in order. */
export function reduceWatch(state: WatchState, event: WatchEvent<KubeObject>): WatchState {
  switch (event.type) {
    case 'SNAPSHOT': {
      const gathered = new Map(state.pending ?? []);
      for (const o of event.objects) gathered.set(objectKey(o), o);
      if (event.continued) return { ...state, pending: gathered };
      return { ...state, objects: gathered, pending: null, synced: true, error: undefined, resourceVersion: event.resourceVersion };
    }
    case 'ADDED':
    case 'MODIFIED':
    case 'DELETED':
      return applyChanges(state, [event], event.resourceVersion);
    case 'BATCH':
      return applyChanges(state, event.events, event.resourceVersion);
    case 'STATUS':
      return { ...state, reachable: event.status === 'connected', message: event.message };
    default:
      return state;
  }
}

/** The channel ended with an error (forbidden, not_found...): keep the objects, show the error. */
export const watchFailed = (state: WatchState, error: HubError): WatchState => ({ ...state, error, synced: true });
