import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { cspNonce } from '../../app/cspNonce';
import { useHub } from '../../hub';
import { withStyleNonce } from './nonceStyles';
import { describeTerminalEvent, shells, type ShellChoice, type TerminalOutput } from './terminalEnd';
import './terminal.css';

export interface TerminalViewProps {
  cluster: string;
  namespace: string;
  pod: string;
  containers: readonly string[];
}

type SessionState = { state: 'connecting' | 'open' } | { state: 'ended'; message: string };

let channelCounter = 0;

/** The Terminal tab: xterm.js over a hub `terminal:*` channel, fitted to its box and resized with it. */
export function TerminalView({ cluster, namespace, pod, containers }: TerminalViewProps) {
  const [container, setContainer] = useState(containers[0] ?? '');
  const [shell, setShell] = useState<ShellChoice>('auto');
  const [generation, setGeneration] = useState(0);
  const [session, setSession] = useState<SessionState>({ state: 'connecting' });
  const host = useRef<HTMLDivElement>(null);
  const hub = useHub();

  useEffect(() => {
    const element = host.current;
    if (!element || !container) return;
    setSession({ state: 'connecting' });
    const term = new Terminal({ cursorBlink: true, convertEol: false, fontFamily: 'ui-monospace, Menlo, Consolas, monospace', fontSize: 13, scrollback: 5000 });
    const fit = new FitAddon();
    term.loadAddon(fit);
    withStyleNonce(cspNonce(), () => term.open(element));
    fit.fit();
    const command = shells[shell];
    const subscription = hub.subscribe(
      `terminal:ui${++channelCounter}`,
      { cluster, namespace, pod, container, ...(command ? { command } : {}), cols: term.cols, rows: term.rows },
      {
        onMessage(type, payload) {
          if (type !== 'terminal_output') return;
          const output = payload as TerminalOutput;
          if ('data' in output) {
            setSession((s) => (s.state === 'connecting' ? { state: 'open' } : s));
            term.write(output.data);
            return;
          }
          const text = describeTerminalEvent(output);
          if (text) term.write(text);
          if ('exitCode' in output) setSession({ state: 'ended', message: `Session ended (exit code ${output.exitCode}).` });
        },
        onError(error) {
          term.write(`\r\n\x1b[31m[porthole] ${error.message}\x1b[0m\r\n`);
          setSession({ state: 'ended', message: `Session ended: ${error.message}` });
        },
      },
    );
    const input = term.onData((data) => subscription.send('terminal_input', { data }));
    const resized = term.onResize(({ cols, rows }) => subscription.send('terminal_resize', { cols, rows }));
    const observer = new ResizeObserver(() => {
      if (element.clientWidth > 0 && element.clientHeight > 0) fit.fit();
    });
    observer.observe(element);
    term.focus();
    return () => {
      observer.disconnect();
      input.dispose();
      resized.dispose();
      subscription.close();
      term.dispose();
    };
  }, [hub, cluster, namespace, pod, container, shell, generation]);

  return (
    <div className="terminal-view" data-testid="terminal-view">
      <div className="terminal-toolbar">
        <label>
          Container{' '}
          <select data-testid="terminal-container" value={container} onChange={(e) => setContainer(e.target.value)}>
            {containers.map((c) => (
              <option key={c} value={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          Shell{' '}
          <select data-testid="terminal-shell" value={shell} onChange={(e) => setShell(e.target.value as ShellChoice)}>
            <option value="auto">auto (bash, then sh)</option>
            <option value="bash">bash</option>
            <option value="sh">sh</option>
          </select>
        </label>
        <button type="button" data-testid="terminal-reconnect" onClick={() => setGeneration((g) => g + 1)}>
          Reconnect
        </button>
        <span className="terminal-status" data-testid="terminal-status" data-state={session.state}>
          {session.state === 'ended' ? session.message : session.state === 'open' ? 'Connected' : 'Connecting…'}
        </span>
      </div>
      <div className="terminal-screen" data-testid="terminal-screen" ref={host} />
    </div>
  );
}
