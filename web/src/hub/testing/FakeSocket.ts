import { HubClient } from '../HubClient';

/** A WebSocket stand-in: records sent frames; the test plays the server. */
export class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  serverSends(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
}

export const latest = () => FakeSocket.all[FakeSocket.all.length - 1];

export function newTestHub() {
  return new HubClient({ url: 'ws://test/ws', webSocket: FakeSocket as unknown as new (url: string) => WebSocket, random: () => 1 });
}

