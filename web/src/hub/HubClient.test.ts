import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket, latest, newTestHub as newHub } from './testing/FakeSocket';

const watchPayload = { cluster: 'c', group: '', version: 'v1', resource: 'pods' };

beforeEach(() => {
  FakeSocket.all = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('HubClient', () => {
  it('subscribe_BeforeOpen_SendsSubscribeOnceWhenOpen', () => {
    const hub = newHub();
    hub.subscribe('watch:pods', watchPayload, { onMessage: () => {} });
    expect(FakeSocket.all).toHaveLength(1);
    latest().open();
    expect(latest().sent).toEqual([{ type: 'subscribe', channel: 'watch:pods', payload: watchPayload }]);
  });

  it('messages_ForChannel_GoToThatChannelsHandlerOnly', () => {
    const hub = newHub();
    const a = vi.fn();
    const b = vi.fn();
    hub.subscribe('watch:a', watchPayload, { onMessage: a });
    hub.subscribe('watch:b', watchPayload, { onMessage: b });
    latest().open();
    latest().serverSends({ type: 'resource_watch', channel: 'watch:b', payload: { type: 'ADDED', object: { x: 1 } } });
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledWith('resource_watch', { type: 'ADDED', object: { x: 1 } });
  });

  it('ping_FromServer_AnsweredWithPong', () => {
    const hub = newHub();
    hub.subscribe('watch:a', watchPayload, { onMessage: () => {} });
    latest().open();
    latest().serverSends({ type: 'ping', sessionID: 'x' });
    expect(latest().sent.at(-1)).toEqual({ type: 'pong' });
  });

  it('socketDrop_ReconnectsWithBackoffAndResubscribesOpenChannels', () => {
    const hub = newHub();
    const statuses: string[] = [];
    hub.onStatus((s) => statuses.push(s));
    hub.subscribe('watch:a', watchPayload, { onMessage: () => {} });
    const closed = hub.subscribe('logs:b', { pod: 'p' }, { onMessage: () => {} });
    hub.subscribe('terminal:c', { pod: 'p' }, { onMessage: () => {} });
    latest().open();
    closed.close();
    latest().drop();
    vi.advanceTimersByTime(499);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(2);
    latest().open();
    expect(latest().sent.map((f) => f.channel)).toEqual(['watch:a', 'terminal:c']);
    expect(statuses).toEqual(['connecting', 'open', 'closed', 'connecting', 'open']);
  });

  it('repeatedFailures_BackoffDoublesUpTo30Seconds', () => {
    const hub = newHub();
    hub.subscribe('watch:a', watchPayload, { onMessage: () => {} });
    const delays: number[] = [];
    for (let i = 0; i < 9; i++) {
      const before = FakeSocket.all.length;
      latest().drop();
      let waited = 0;
      while (FakeSocket.all.length === before) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('successfulOpen_ResetsBackoff', () => {
    const hub = newHub();
    hub.subscribe('watch:a', watchPayload, { onMessage: () => {} });
    latest().drop();
    vi.advanceTimersByTime(500);
    latest().drop();
    vi.advanceTimersByTime(1000);
    latest().open();
    latest().drop();
    vi.advanceTimersByTime(500);
    expect(FakeSocket.all).toHaveLength(4);
  });

  it('channelError_GoesToThatChannelAndEndsIt', () => {
    const hub = newHub();
    const onError = vi.fn();
    const other = vi.fn();
    hub.subscribe('watch:a', watchPayload, { onMessage: () => {}, onError });
    hub.subscribe('watch:b', watchPayload, { onMessage: () => {}, onError: other });
    latest().open();
    latest().serverSends({ type: 'error', channel: 'watch:a', payload: { code: 'forbidden', message: 'no' } });
    expect(onError).toHaveBeenCalledWith({ code: 'forbidden', message: 'no' });
    expect(other).not.toHaveBeenCalled();
    latest().drop();
    vi.advanceTimersByTime(500);
    latest().open();
    expect(latest().sent.map((f) => f.channel)).toEqual(['watch:b']);
  });

  it('rateLimitedError_KeepsChannelOpen', () => {
    const hub = newHub();
    const onError = vi.fn();
    const sub = hub.subscribe('terminal:a', {}, { onMessage: () => {}, onError });
    latest().open();
    latest().serverSends({ type: 'error', channel: 'terminal:a', payload: { code: 'rate_limited', message: 'slow down' } });
    expect(onError).toHaveBeenCalledOnce();
    expect(sub.send('terminal_input', { data: 'x' })).toBe(true);
  });

  it('connectionError_GoesToConnectionListeners', () => {
    const hub = newHub();
    const onChannelError = vi.fn();
    const onConnectionError = vi.fn();
    hub.onConnectionError(onConnectionError);
    hub.subscribe('watch:a', watchPayload, { onMessage: () => {}, onError: onChannelError });
    latest().open();
    latest().serverSends({ type: 'error', payload: { code: 'bad_json', message: 'bad' } });
    expect(onConnectionError).toHaveBeenCalledWith({ code: 'bad_json', message: 'bad' });
    expect(onChannelError).not.toHaveBeenCalled();
  });

  it('send_OnChannel_WritesTypedFrameAndFailsWhenDisconnected', () => {
    const hub = newHub();
    const sub = hub.subscribe('terminal:1', {}, { onMessage: () => {} });
    expect(sub.send('terminal_input', { data: 'ls\r' })).toBe(false);
    latest().open();
    expect(sub.send('terminal_resize', { cols: 80, rows: 24 })).toBe(true);
    expect(latest().sent.at(-1)).toEqual({ type: 'terminal_resize', channel: 'terminal:1', payload: { cols: 80, rows: 24 } });
  });

  it('close_Subscription_SendsUnsubscribeAndStopsDelivery', () => {
    const hub = newHub();
    const onMessage = vi.fn();
    const sub = hub.subscribe('watch:a', watchPayload, { onMessage });
    latest().open();
    sub.close();
    latest().serverSends({ type: 'resource_watch', channel: 'watch:a', payload: {} });
    expect(latest().sent.at(-1)).toEqual({ type: 'unsubscribe', channel: 'watch:a' });
    expect(onMessage).not.toHaveBeenCalled();
    expect(() => hub.subscribe('watch:a', watchPayload, { onMessage })).not.toThrow();
  });

  it('close_Client_DoesNotReconnect', () => {
    const hub = newHub();
    hub.subscribe('watch:a', watchPayload, { onMessage: () => {} });
    latest().open();
    hub.close();
    latest().drop();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});
