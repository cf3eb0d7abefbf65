import { useEffect, useRef, useState } from 'react';
import { useHub } from '../../hub';
import { appendLines, emptyLogBuffer, type LogBuffer, type LogLine } from './logBuffer';

/** What to stream: one pod (optionally one container) or every pod a label selector matches. */
export type LogSource =
  | { pod: string; container?: string }
  | { labelSelector: string };

export interface LogStreamOptions {
  cluster: string;
  namespace: string;
  source: LogSource;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines: number;
}

export type LogStreamStatus = 'connecting' | 'streaming' | 'ended' | 'error';

export interface LogStreamState {
  buffer: LogBuffer;
  status: LogStreamStatus;
  error: string | null;
}

let channelCounter = 0;

/**
 * Streams logs over a hub `logs:*` channel. A change of any option opens a fresh channel (and
 * empties the buffer); lines arriving within one animation frame are rendered together.
 */
export function useLogStream(options: LogStreamOptions): LogStreamState {
  const hub = useHub();
  const [state, setState] = useState<LogStreamState>(() => ({ buffer: emptyLogBuffer(), status: 'connecting', error: null }));
  const pending = useRef<LogLine[]>([]);
  const key = JSON.stringify(options);

  useEffect(() => {
    const opts = JSON.parse(key) as LogStreamOptions;
    pending.current = [];
    setState({ buffer: emptyLogBuffer(), status: 'connecting', error: null });
    let frame: number | null = null;
    const flush = () => {
      frame = null;
      const lines = pending.current;
      pending.current = [];
      setState((s) => ({ ...s, buffer: appendLines(s.buffer, lines), status: s.status === 'connecting' ? 'streaming' : s.status }));
    };
    const channel = `logs:ui${++channelCounter}`;
    const subscription = hub.subscribe(
      channel,
      {
        cluster: opts.cluster,
        namespace: opts.namespace,
        ...opts.source,
        follow: opts.follow,
        previous: opts.previous || undefined,
        timestamps: opts.timestamps,
        tailLines: opts.tailLines,
      },
      {
        onMessage(type, payload) {
          if (type !== 'log_stream') return;
          const { lines, end } = payload as { lines: LogLine[]; end?: boolean };
          pending.current.push(...lines);
          if (end) {
            if (frame !== null) cancelAnimationFrame(frame);
            flush();
            setState((s) => ({ ...s, status: 'ended' }));
          } else if (frame === null) {
            frame = requestAnimationFrame(flush);
          }
        },
        onError(error) {
          setState((s) => ({ ...s, status: 'error', error: error.message }));
        },
      },
    );
    return () => {
      if (frame !== null) cancelAnimationFrame(frame);
      subscription.close();
    };
  }, [hub, key]);

  return state;
}
