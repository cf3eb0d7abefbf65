/** The /ws envelope and payload shapes of docs/protocols/hub.md. */

export type HubMessageType =
  | 'subscribe'
  | 'unsubscribe'
  | 'resource_watch'
  | 'log_stream'
  | 'terminal_input'
  | 'terminal_output'
  | 'terminal_resize'
  | 'error'
  | 'ping'
  | 'pong';

/** One JSON text frame in either direction. */
export interface Envelope<P = unknown> {
  type: HubMessageType;
  sessionID?: string;
  channel?: string;
  payload?: P;
  timestamp?: string;
}

/** An `error` payload: on a channel, or (without channel) for the whole connection. */
export interface HubError {
  code: string;
  message: string;
}

/** Subscribe payload of a `watch:` channel; `group` is "" for the core group, no namespace = all. */
export interface WatchSubscription {
  cluster: string;
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** A `resource_watch` payload. BATCH carries several events to apply in order. */
export type WatchEvent<T = unknown> =
  | { type: 'SNAPSHOT'; objects: T[]; continued?: boolean; resourceVersion?: string }
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T; resourceVersion?: string }
  | { type: 'STATUS'; status: 'connected' | 'unreachable'; message?: string; resourceVersion?: string }
  | {
      type: 'BATCH';
      events: { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T; resourceVersion?: string }[];
      resourceVersion?: string;
    };

/** Error codes after which the channel stays open on the server; every other channel error ends it. */
export const nonFatalErrorCodes: ReadonlySet<string> = new Set(['rate_limited']);
