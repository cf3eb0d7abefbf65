import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/kube';
import { emptyWatchState, reduceWatch, watchFailed, type WatchState } from './watchReducer';

const pod = (name: string, rv = '1', ns = 'team-a'): KubeObject => ({ metadata: { name, namespace: ns, resourceVersion: rv } });
const names = (s: WatchState) => [...s.objects.values()].map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`);

describe('reduceWatch', () => {
  it('snapshot_InParts_ReplacesOnlyWhenComplete', () => {
    let s = reduceWatch(emptyWatchState, { type: 'SNAPSHOT', objects: [pod('a')], continued: true });
    expect(s.synced).toBe(false);
    expect(names(s)).toEqual([]);
    s = reduceWatch(s, { type: 'SNAPSHOT', objects: [pod('b')], resourceVersion: '9' });
    expect(s.synced).toBe(true);
    expect(names(s)).toEqual(['a@1', 'b@1']);
    expect(s.resourceVersion).toBe('9');
  });

  it('events_AddModifyDelete_UpdateInPlaceWithNewMap', () => {
    const synced = reduceWatch(emptyWatchState, { type: 'SNAPSHOT', objects: [pod('a'), pod('b')] });
    let s = reduceWatch(synced, { type: 'ADDED', object: pod('c', '2') });
    s = reduceWatch(s, { type: 'MODIFIED', object: pod('a', '3') });
    s = reduceWatch(s, { type: 'DELETED', object: pod('b', '4'), resourceVersion: '4' });
    expect(names(s)).toEqual(['a@3', 'c@2']);
    expect(names(synced)).toEqual(['a@1', 'b@1']);
    expect(s.objects).not.toBe(synced.objects);
    expect(s.resourceVersion).toBe('4');
  });

  it('sameNameInTwoNamespaces_AreTwoObjects', () => {
    const s = reduceWatch(emptyWatchState, { type: 'SNAPSHOT', objects: [pod('a', '1', 'x'), pod('a', '1', 'y')] });
    expect(s.objects.size).toBe(2);
  });

  it('batch_AppliesEventsInOrder', () => {
    const synced = reduceWatch(emptyWatchState, { type: 'SNAPSHOT', objects: [pod('a')] });
    const s = reduceWatch(synced, {
      type: 'BATCH',
      events: [
        { type: 'ADDED', object: pod('b', '2') },
        { type: 'MODIFIED', object: pod('b', '3') },
        { type: 'DELETED', object: pod('a', '4') },
        { type: 'ADDED', object: pod('a', '5') },
      ],
      resourceVersion: '5',
    });
    expect(names(s)).toEqual(['b@3', 'a@5']);
    expect(s.resourceVersion).toBe('5');
  });

  it('reconnectSnapshot_ReplacesInsteadOfMerging', () => {
    let s = reduceWatch(emptyWatchState, { type: 'SNAPSHOT', objects: [pod('a'), pod('b')] });
    s = reduceWatch(s, { type: 'SNAPSHOT', objects: [pod('b', '7')] });
    expect(names(s)).toEqual(['b@7']);
  });

  it('eventsDuringPartialSnapshot_ApplyToThePendingSnapshot', () => {
    let s = reduceWatch(emptyWatchState, { type: 'SNAPSHOT', objects: [pod('old')] });
    s = reduceWatch(s, { type: 'SNAPSHOT', objects: [pod('a')], continued: true });
    s = reduceWatch(s, { type: 'MODIFIED', object: pod('a', '2') });
    expect(names(s)).toEqual(['old@1']);
    s = reduceWatch(s, { type: 'SNAPSHOT', objects: [pod('b')] });
    expect(names(s)).toEqual(['a@2', 'b@1']);
  });

  it('status_UnreachableThenConnected_KeepsObjects', () => {
    let s = reduceWatch(emptyWatchState, { type: 'SNAPSHOT', objects: [pod('a')] });
    s = reduceWatch(s, { type: 'STATUS', status: 'unreachable', message: 'refused' });
    expect(s.reachable).toBe(false);
    expect(s.message).toBe('refused');
    expect(names(s)).toEqual(['a@1']);
    s = reduceWatch(s, { type: 'STATUS', status: 'connected' });
    expect(s.reachable).toBe(true);
  });

  it('watchFailed_KeepsObjectsAndRecordsError', () => {
    const s = watchFailed(reduceWatch(emptyWatchState, { type: 'SNAPSHOT', objects: [pod('a')] }), { code: 'forbidden', message: 'no' });
    expect(s.error?.code).toBe('forbidden');
    expect(names(s)).toEqual(['a@1']);
  });
});
