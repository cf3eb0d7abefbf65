/** asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/): a header line, then `[seconds, code, data]` lines. */
export interface CastEvent {
  time: number;
  /** "o" output, "r" resize ("COLSxROWS"); others ("i", "m") are kept and ignored by the player. */
  code: string;
  data: string;
}

export interface Cast {
  width: number;
  height: number;
  title?: string;
  /** Unix seconds of the start. */
  timestamp?: number;
  events: CastEvent[];
  /** Seconds until the last event. */
  duration: number;
}

export interface Size {
  cols: number;
  rows: number;
}

/**
 * Parses a recording. A bad header is an error; a bad event line is skipped (the last line of a
 * running terminal's recording may be half written), and events are kept in time order.
 */
export function parseCast(text: string): Cast {
  const lines = text.split('\n');
  let header: { version?: number; width?: number; height?: number; title?: string; timestamp?: number };
  try {
    header = JSON.parse(lines[0]) as typeof header;
  } catch {
    throw new Error('This is not an asciicast recording (its first line is not a JSON header).');
  }
  if (header.version !== 2 || !header.width || !header.height) throw new Error(`Unsupported recording: asciicast version ${header.version ?? '?'} (2 is supported).`);
  const events: CastEvent[] = [];
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue;
    try {
      const [time, code, data] = JSON.parse(line) as [number, string, string];
      if (typeof time === 'number' && typeof code === 'string' && typeof data === 'string') events.push({ time, code, data });
    } catch {
      // a half-written last line
    }
  }
  events.sort((a, b) => a.time - b.time);
  return { width: header.width, height: header.height, title: header.title, timestamp: header.timestamp, events, duration: events.length ? events[events.length - 1].time : 0 };
}

const sizeOf = (data: string): Size | undefined => {
  const m = /^(\d+)x(\d+)$/.exec(data);
  return m ? { cols: Number(m[1]), rows: Number(m[2]) } : undefined;
};

/** Output and the latest size of the events in (from, to]. */
export function eventsBetween(cast: Cast, from: number, to: number): { output: string; size?: Size } {
  let output = '';
  let size: Size | undefined;
  for (const e of cast.events) {
    if (e.time <= from) continue;
    if (e.time > to) break;
    if (e.code === 'o') output += e.data;
    else if (e.code === 'r') size = sizeOf(e.data) ?? size;
  }
  return { output, size };
}

/** The screen at time t from a reset terminal: every output up to t, at the size in force then. */
export function screenAt(cast: Cast, t: number): { output: string; size: Size } {
  const { output, size } = eventsBetween(cast, Number.NEGATIVE_INFINITY, t);
  return { output, size: size ?? { cols: cast.width, rows: cast.height } };
}

/** Playback time after `elapsedMs` of real time at `speed`, capped at the end. */
export const advance = (cast: Cast, position: number, elapsedMs: number, speed: number) => Math.min(cast.duration, position + (elapsedMs / 1000) * speed);

/** 83.4 → "1:23". */
export function clock(seconds: number): string {
  const s = Math.floor(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
