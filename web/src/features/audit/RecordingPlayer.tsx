import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { fetchRecording } from '../../api/audit';
import { cspNonce } from '../../app/cspNonce';
import { ErrorMessage, Loading } from '../../components/States';
import { withStyleNonce } from '../terminal/nonceStyles';
import { advance, clock, eventsBetween, parseCast, screenAt, type Cast } from './cast';
import './audit.css';

const speeds = [1, 2, 4, 8];
const tickMs = 40;
/** The seek slider's step; its end is the duration rounded up to a step (a range input snaps to steps). */
const step = 0.1;

/** GET /api/v1/terminal/recordings/{id}, played in xterm.js: real time or faster, pause, seek. */
export function RecordingPlayer({ id }: { id: string }) {
  const recording = useQuery({ queryKey: ['recording', id], queryFn: () => fetchRecording(id), retry: false, staleTime: Infinity });
  const cast = (() => {
    try {
      return recording.data === undefined ? undefined : { cast: parseCast(recording.data) };
    } catch (e) {
      return { error: e as Error };
    }
  })();
  return (
    <section className="recording-page" data-testid="recording-page">
      <h1>Terminal recording</h1>
      {recording.isPending && <Loading label="Loading the recording…" />}
      {recording.error && <ErrorMessage error={recording.error} />}
      {cast?.error && <ErrorMessage error={cast.error} />}
      {cast?.cast && <Player cast={cast.cast} />}
    </section>
  );
}

type State = 'playing' | 'paused' | 'ended';

function Player({ cast }: { cast: Cast }) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const position = useRef(0);
  const [shown, setShown] = useState(0);
  const [state, setState] = useState<State>('playing');
  const [speed, setSpeed] = useState(1);

  useEffect(() => {
    const t = new Terminal({ cols: cast.width, rows: cast.height, disableStdin: true, convertEol: false, fontFamily: 'ui-monospace, Menlo, Consolas, monospace', fontSize: 13 });
    withStyleNonce(cspNonce(), () => t.open(host.current!));
    term.current = t;
    return () => {
      t.dispose();
      term.current = null;
    };
  }, [cast]);

  useEffect(() => {
    if (state !== 'playing') return;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      const from = position.current;
      const to = advance(cast, from, now - last, speed);
      last = now;
      const { output, size } = eventsBetween(cast, from, to);
      if (size) term.current?.resize(size.cols, size.rows);
      if (output) term.current?.write(output);
      position.current = to;
      setShown(to);
      if (to >= cast.duration) setState('ended');
    }, tickMs);
    return () => clearInterval(timer);
  }, [cast, state, speed]);

  const end = Number((Math.ceil(cast.duration / step) * step).toFixed(1));
  const seek = (to: number) => {
    const t = Math.min(to, cast.duration);
    const screen = screenAt(cast, t);
    term.current?.reset();
    term.current?.resize(screen.size.cols, screen.size.rows);
    term.current?.write(screen.output);
    position.current = t;
    setShown(t);
    if (t >= cast.duration) setState('ended');
    else if (state === 'ended') setState('paused');
  };

  return (
    <>
      <div className="muted">
        {cast.title}
        {cast.timestamp ? ` · ${new Date(cast.timestamp * 1000).toLocaleString()}` : ''}
      </div>
      <div className="player-controls">
        <button
          type="button"
          data-testid="player-play"
          onClick={() => {
            if (state === 'playing') setState('paused');
            else {
              if (state === 'ended') seek(0);
              setState('playing');
            }
          }}
        >
          {state === 'playing' ? 'Pause' : state === 'ended' ? 'Replay' : 'Play'}
        </button>
        <label>
          Speed{' '}
          <select data-testid="player-speed" value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
            {speeds.map((s) => (
              <option key={s} value={s}>{`${s}×`}</option>
            ))}
          </select>
        </label>
        <input
          type="range"
          min={0}
          max={end}
          step={step}
          value={shown}
          aria-label="Seek"
          data-testid="player-seek"
          onChange={(e) => seek(Number(e.target.value))}
        />
        <span data-testid="player-time" data-state={state}>{`${clock(shown)} / ${clock(cast.duration)}`}</span>
      </div>
      <div className="player-screen" data-testid="player-screen" ref={host} />
    </>
  );
}
