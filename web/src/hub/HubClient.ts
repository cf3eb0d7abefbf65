/**
 * The hub client: one WebSocket per browser tab to `/ws`, multiplexing channels
 * (`watch:<id>`, `logs:<id>`, `terminal:<id>`) as described in docs/protocols/hub.md.
 *
 * API (everything else in this file is private):
 * - `hub.subscribe(channel, payload, handlers)` opens a channel and returns a
 *   {@link Subscription}: `send(type, payload)` sends a frame on it (terminal_input,
 *   terminal_resize) and returns false when the socket is not open; `close()` unsubscribes.
 *   `handlers.onMessage(type, payload)` gets every server frame of the channel;
 *   `handlers.onError(error)` gets its `error` frames. An error ends the channel (the server
 *   closed it) unless its code is in `nonFatalErrorCodes`; an ended channel is not
 *   resubscribed.
 * - `hub.onStatus(listener)` reports 'connecting' | 'open' | 'closed'; returns a remover.
 *   Connection-level errors (no channel) go to `onConnectionError` listeners.
 * - `hub.close()` closes the socket for good.
 *
 * Behaviour: the socket opens on the first subscribe; server `ping` is answered with `pong`;
 * when the socket closes it reconnects with exponential backoff (0.5 s doubling to 30 s,
 * full jitter, reset after a successful open) and re-sends `subscribe` for every open
 * channel, in the order they were opened. Consumers of watch channels get a fresh SNAPSHOT
 * after a reconnect and must replace, not merge (see features/resources/watchReducer.ts).
 */
import { nonFatalErrorCodes, type Envelope, type HubError, type HubMessageType } from './envelope';

export type HubStatus = 'connecting' | 'open' | 'closed';

export interface ChannelHandlers {
  onMessage(type: HubMessageType, payload: unknown): void;
  onError?(error: HubError): void;
}

export interface Subscription {
  readonly channel: string;
  send(type: HubMessageType, payload: unknown): boolean;
  close(): void;
}

export interface HubClientOptions {
  url: string;
  /** The WebSocket constructor (tests pass a fake). */
  webSocket?: new (url: string) => WebSocket;
  /** 0..1, for the backoff jitter (tests pass a constant). */
  random?: () => number;
}

interface OpenChannel {
  payload: unknown;
  handlers: ChannelHandlers;
}

const minDelayMs = 500;
const maxDelayMs = 30_000;

export class HubClient {
  private socket: WebSocket | null = null;
  private readonly channels = new Map<string, OpenChannel>();
  private readonly statusListeners = new Set<(status: HubStatus) => void>();
  private readonly connectionErrorListeners = new Set<(error: HubError) => void>();
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private closedForGood = false;
  private currentStatus: HubStatus = 'closed';

  constructor(private readonly options: HubClientOptions) {}

  get status(): HubStatus {
    return this.currentStatus;
  }

  subscribe(channel: string, payload: unknown, handlers: ChannelHandlers): Subscription {
    if (this.channels.has(channel)) {
      throw new Error(`hub channel ${channel} is already open`);
    }
    const entry: OpenChannel = { payload, handlers };
    this.channels.set(channel, entry);
    this.ensureConnected();
    this.write({ type: 'subscribe', channel, payload });
    return {
      channel,
      send: (type, body) => this.channels.get(channel) === entry && this.write({ type, channel, payload: body }),
      close: () => {
        if (this.channels.get(channel) === entry) {
          this.channels.delete(channel);
          this.write({ type: 'unsubscribe', channel });
        }
      },
    };
  }

  onStatus(listener: (status: HubStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onConnectionError(listener: (error: HubError) => void): () => void {
    this.connectionErrorListeners.add(listener);
    return () => this.connectionErrorListeners.delete(listener);
  }

  close(): void {
    this.closedForGood = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.channels.clear();
    this.socket?.close(1000);
    this.socket = null;
    this.setStatus('closed');
  }

  private ensureConnected(): void {
    if (this.socket || this.reconnectTimer || this.closedForGood) return;
    this.connect();
  }

  private connect(): void {
    this.reconnectTimer = null;
    const Impl = this.options.webSocket ?? WebSocket;
    const socket = new Impl(this.options.url);
    this.socket = socket;
    this.setStatus('connecting');
    socket.onopen = () => {
      this.attempt = 0;
      this.setStatus('open');
      for (const [channel, { payload }] of this.channels) {
        this.write({ type: 'subscribe', channel, payload });
      }
    };
    socket.onmessage = (event: MessageEvent) => this.receive(event.data);
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.setStatus('closed');
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (this.closedForGood) return;
    const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** this.attempt);
    this.attempt++;
    const delay = Math.max(minDelayMs / 2, ceiling * (this.options.random ?? Math.random)());
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: Envelope;
    try {
      frame = JSON.parse(data) as Envelope;
    } catch {
      return;
    }
    if (frame.type === 'ping') {
      this.write({ type: 'pong' });
      return;
    }
    if (frame.type === 'error') {
      this.receiveError(frame.channel, frame.payload as HubError);
      return;
    }
    if (frame.channel) this.channels.get(frame.channel)?.handlers.onMessage(frame.type, frame.payload);
  }

  private receiveError(channel: string | undefined, error: HubError): void {
    if (!channel) {
      for (const listener of this.connectionErrorListeners) listener(error);
      return;
    }
    const entry = this.channels.get(channel);
    if (!entry) return;
    if (!nonFatalErrorCodes.has(error.code)) this.channels.delete(channel);
    entry.handlers.onError?.(error);
  }

  private write(frame: Envelope): boolean {
    if (this.socket?.readyState !== 1) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  private setStatus(status: HubStatus): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    for (const listener of this.statusListeners) listener(status);
  }
}

/** The URL of the hub on the page's own origin. */
export function hubUrl(location: Location = window.location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}
