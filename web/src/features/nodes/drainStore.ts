import { useSyncExternalStore } from 'react';
import { runDrain, type DrainApi, type DrainClock, type DrainOptions, type DrainProgress } from './drainRunner';

/** One drain of this browser tab: its latest progress, and how to stop it. */
export interface DrainRun {
  progress: DrainProgress;
  running: boolean;
  stop: () => void;
}

const runs = new Map<string, DrainRun>();
const listeners = new Set<() => void>();
const changed = () => listeners.forEach((l) => l());

/**
 * Drains run in the tab (as kubectl drain runs in its terminal), outliving the page that
 * started them: leaving the drain page, or the node disappearing, does not lose the progress.
 * Closing the tab stops a drain; the node stays cordoned, as after Ctrl-C.
 */
export function startDrain(key: string, api: DrainApi, options: DrainOptions, clock: DrainClock): void {
  if (runs.get(key)?.running) return;
  const abort = new AbortController();
  const run: DrainRun = { progress: { phase: 'cordoning', pods: [] }, running: true, stop: () => abort.abort() };
  runs.set(key, run);
  changed();
  const update = (progress: DrainProgress, running: boolean) => {
    runs.set(key, { ...run, progress, running });
    changed();
  };
  void runDrain(api, options, clock, (p) => update(p, true), abort.signal)
    .then((p) => update(p, false))
    .catch((e: unknown) => update({ phase: 'failed', pods: runs.get(key)?.progress.pods ?? [], message: `The drain failed: ${e instanceof Error ? e.message : String(e)}` }, false));
}

export function useDrainRun(key: string): DrainRun | undefined {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => runs.get(key),
  );
}
