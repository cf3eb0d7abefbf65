import { QueryClient } from '@tanstack/react-query';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeSocket, latest, newTestHub } from '../../hub/testing/FakeSocket';
import { retainWatch, watchKey } from './watchCache';
import type { WatchState } from './watchReducer';

const w = { cluster: 'c', group: '', version: 'v1', resource: 'pods', namespace: 'a' };
const pod = (name: string, rv: string) => ({ metadata: { name, namespace: 'a', resourceVersion: rv } });

beforeEach(() => {
  FakeSocket.all = [];
});

describe('retainWatch', () => {
  it('frames_UpdateQueryCacheInPlaceWithoutFetching', () => {
    const queryClient = new QueryClient();
    const hub = newTestHub();
    const release = retainWatch(queryClient, hub, w);
    latest().open();
    const channel = latest().sent[0].channel as string;
    expect(latest().sent[0]).toMatchObject({ type: 'subscribe', payload: w });

    latest().serverSends({ type: 'resource_watch', channel, payload: { type: 'SNAPSHOT', objects: [pod('x', '1')] } });
    latest().serverSends({ type: 'resource_watch', channel, payload: { type: 'MODIFIED', object: pod('x', '2') } });
    const state = queryClient.getQueryData<WatchState>(watchKey(w))!;
    expect(state.synced).toBe(true);
    expect(state.objects.get('a/x')?.metadata.resourceVersion).toBe('2');
    expect(queryClient.getQueryCache().find({ queryKey: watchKey(w) })?.state.fetchStatus).toBe('idle');
    release();
  });

  it('twoUsers_ShareOneChannelUntilTheLastReleases', () => {
    const queryClient = new QueryClient();
    const hub = newTestHub();
    const first = retainWatch(queryClient, hub, w);
    const second = retainWatch(queryClient, hub, w);
    latest().open();
    expect(latest().sent.filter((f) => f.type === 'subscribe')).toHaveLength(1);
    first();
    expect(latest().sent.filter((f) => f.type === 'unsubscribe')).toHaveLength(0);
    second();
    expect(latest().sent.filter((f) => f.type === 'unsubscribe')).toHaveLength(1);
  });

  it('channelError_IsKeptInTheCache', () => {
    const queryClient = new QueryClient();
    const hub = newTestHub();
    const release = retainWatch(queryClient, hub, w);
    latest().open();
    const channel = latest().sent[0].channel as string;
    latest().serverSends({ type: 'error', channel, payload: { code: 'forbidden', message: 'pods is forbidden' } });
    expect(queryClient.getQueryData<WatchState>(watchKey(w))?.error).toEqual({ code: 'forbidden', message: 'pods is forbidden' });
    release();
  });
});
