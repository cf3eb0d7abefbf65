/** One line as the hub's `log_stream` delivers it. */
export interface LogLine {
  pod: string;
  container: string;
  text: string;
  time?: string;
}

/** A line with a stable key for rendering. */
export interface BufferedLine extends LogLine {
  id: number;
}

/** The lines kept for display: the newest `capacity`, oldest dropped first. */
export interface LogBuffer {
  readonly lines: readonly BufferedLine[];
  /** How many lines were dropped off the front since the stream started. */
  readonly dropped: number;
  readonly nextId: number;
  readonly capacity: number;
}

export const defaultLogCapacity = 10_000;

export function emptyLogBuffer(capacity = defaultLogCapacity): LogBuffer {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, not ${capacity}`);
  return { lines: [], dropped: 0, nextId: 0, capacity };
}

/** Appends a batch; returns a new buffer (the old one is left alone, for React state). */
export function appendLines(buffer: LogBuffer, incoming: readonly LogLine[]): LogBuffer {
  if (incoming.length === 0) return buffer;
  let nextId = buffer.nextId;
  const added = incoming.map((line) => ({ ...line, id: nextId++ }));
  const all = buffer.lines.concat(added);
  const excess = Math.max(0, all.length - buffer.capacity);
  return {
    lines: excess > 0 ? all.slice(excess) : all,
    dropped: buffer.dropped + excess,
    nextId,
    capacity: buffer.capacity,
  };
}

/** The lines as a text file: `[pod/container] ` prefixes when several sources, RFC 3339 times when asked. */
export function formatLines(lines: readonly LogLine[], options: { timestamps: boolean; sources: boolean }): string {
  return lines
    .map((l) => `${options.timestamps && l.time ? `${l.time} ` : ''}${options.sources ? `[${l.pod}/${l.container}] ` : ''}${l.text}\n`)
    .join('');
}
