import { useEffect, useMemo, useRef, useState } from 'react';
import { formatLines } from './logBuffer';
import { compileSearch, highlight, matches } from './search';
import { useLogStream, type LogSource, type LogStreamOptions } from './useLogStream';
import './logs.css';

/** A pod's logs (container switch) or a workload's (every pod its selector matches). */
export type LogsTarget =
  | { kind: 'pod'; pod: string; containers: readonly string[] }
  | { kind: 'workload'; name: string; labelSelector: string | null };

export interface LogsViewProps {
  cluster: string;
  namespace: string;
  target: LogsTarget;
  tailLines?: number;
}

const allContainers = '*';

/** The Logs tab: follow, container switch, previous, timestamps, search with highlight, wrap, download. */
export function LogsView({ cluster, namespace, target, tailLines = 500 }: LogsViewProps) {
  const containers = target.kind === 'pod' ? target.containers : [];
  const [container, setContainer] = useState<string>(containers[0] ?? allContainers);
  const [follow, setFollow] = useState(true);
  const [previous, setPrevious] = useState(false);
  const [timestamps, setTimestamps] = useState(false);
  const [wrap, setWrap] = useState(true);
  const [query, setQuery] = useState('');
  const [onlyMatching, setOnlyMatching] = useState(false);

  if (target.kind === 'workload' && !target.labelSelector) {
    return (
      <div className="logs-view" data-testid="logs-view">
        <p className="logs-empty" data-testid="logs-status">{target.name} has no pod selector: there are no pods to show logs of.</p>
      </div>
    );
  }

  const source: LogSource =
    target.kind === 'pod'
      ? { pod: target.pod, ...(container === allContainers ? {} : { container }) }
      : { labelSelector: target.labelSelector! };
  const multiSource = target.kind === 'workload' || container === allContainers;

  return (
    <div className="logs-view" data-testid="logs-view">
      <div className="logs-toolbar">
        {target.kind === 'pod' && containers.length > 0 && (
          <label>
            Container{' '}
            <select data-testid="logs-container" value={container} onChange={(e) => setContainer(e.target.value)}>
              {containers.map((c) => (
                <option key={c} value={c}>{c}</option>
              ))}
              {containers.length > 1 && <option value={allContainers}>all containers</option>}
            </select>
          </label>
        )}
        {(
          [
            ['Follow', 'logs-follow', follow, setFollow],
            ['Previous', 'logs-previous', previous, setPrevious],
            ['Timestamps', 'logs-timestamps', timestamps, setTimestamps],
            ['Wrap', 'logs-wrap', wrap, setWrap],
          ] as const
        ).map(([label, testId, value, onChange]) => (
          <Toggle key={testId} label={label} testId={testId} value={value} onChange={onChange} />
        ))}
        <LogsBody
          cluster={cluster}
          namespace={namespace}
          source={source}
          follow={follow}
          previous={previous}
          timestamps={timestamps}
          wrap={wrap}
          tailLines={tailLines}
          multiSource={multiSource}
          query={query}
          setQuery={setQuery}
          onlyMatching={onlyMatching}
          setOnlyMatching={setOnlyMatching}
          downloadName={`${target.kind === 'pod' ? target.pod : target.name}${container === allContainers || target.kind === 'workload' ? '' : `-${container}`}.log`}
        />
      </div>
    </div>
  );
}

function Toggle({ label, testId, value, onChange }: { label: string; testId: string; value: boolean; onChange(v: boolean): void }) {
  return (
    <label className="logs-toggle">
      <input type="checkbox" data-testid={testId} checked={value} onChange={(e) => onChange(e.target.checked)} /> {label}
    </label>
  );
}

interface LogsBodyProps extends LogStreamOptions {
  wrap: boolean;
  multiSource: boolean;
  query: string;
  setQuery(q: string): void;
  onlyMatching: boolean;
  setOnlyMatching(v: boolean): void;
  downloadName: string;
}

/** The search box, download button, status and lines (the part that re-renders per batch). */
function LogsBody(props: LogsBodyProps) {
  const { cluster, namespace, source, follow, previous, timestamps, wrap, tailLines, multiSource, query, onlyMatching } = props;
  const { buffer, status, error } = useLogStream({ cluster, namespace, source, follow, previous, timestamps, tailLines });
  const search = useMemo(() => compileSearch(query), [query]);
  const shown = useMemo(
    () => (onlyMatching && search.regex ? buffer.lines.filter((l) => matches(l.text, search)) : buffer.lines),
    [buffer, search, onlyMatching],
  );
  const matchCount = useMemo(
    () => (search.regex ? buffer.lines.reduce((n, l) => n + highlight(l.text, search).filter((s) => s.match).length, 0) : 0),
    [buffer, search],
  );
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  useEffect(() => {
    const el = scroller.current;
    if (el && follow && pinned.current) el.scrollTop = el.scrollHeight;
  }, [shown, follow]);

  const download = () => {
    const blob = new Blob([formatLines(buffer.lines, { timestamps, sources: multiSource })], { type: 'text/plain' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = props.downloadName;
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <>
      <input
        className="logs-search"
        data-testid="logs-search"
        type="search"
        placeholder="Search (text or /regex/)"
        value={query}
        aria-invalid={search.error ? true : undefined}
        title={search.error ?? undefined}
        onChange={(e) => props.setQuery(e.target.value)}
      />
      {search.regex && (
        <span className="logs-match-count" data-testid="logs-match-count">
          {matchCount} {matchCount === 1 ? 'match' : 'matches'}
        </span>
      )}
      <label className="logs-toggle">
        <input type="checkbox" data-testid="logs-only-matching" checked={onlyMatching} onChange={(e) => props.setOnlyMatching(e.target.checked)} /> Matching lines only
      </label>
      <button type="button" data-testid="logs-download" onClick={download} disabled={buffer.lines.length === 0}>
        Download
      </button>
      <div className="logs-status" data-testid="logs-status" data-status={status}>
        {status === 'error' ? `Error: ${error}` : status === 'connecting' ? 'Waiting for log lines…' : status === 'ended' ? 'End of log' : 'Streaming'}
        {buffer.dropped > 0 && ` (oldest ${buffer.dropped} lines dropped)`}
      </div>
      <div
        ref={scroller}
        className={`logs-lines${wrap ? ' logs-wrap' : ''}`}
        data-testid="logs-lines"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {shown.map((line) => (
          <div key={line.id} className="logs-line" data-testid="logs-line">
            {timestamps && line.time && <span className="logs-time">{line.time} </span>}
            {multiSource && <span className="logs-source">[{line.pod}/{line.container}] </span>}
            {highlight(line.text, search).map((s, i) => (s.match ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
          </div>
        ))}
      </div>
    </>
  );
}
