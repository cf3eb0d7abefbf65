import { ApiError, statusCauses } from '../../api/errors';
import type { KubeObject } from '../../api/kube';
import { planDrain, type DrainConsent, type PlannedPod } from './drainPlan';

/** A pod's place in a running drain. */
export type PodState = 'waiting' | 'evicting' | 'retrying' | 'terminating' | 'gone' | 'failed' | 'skipped' | 'blocked';

export interface PodProgress extends PlannedPod {
  state: PodState;
  /** The last answer about it: a PDB's refusal, an error, "evicted". */
  message?: string;
}

/** cordoning and evicting run; the rest are how a drain ends. */
export type DrainPhase = 'cordoning' | 'evicting' | 'done' | 'timeout' | 'node-deleted' | 'blocked' | 'failed' | 'stopped';

export interface DrainProgress {
  phase: DrainPhase;
  pods: PodProgress[];
  /** What a person reads about the outcome (which pods, and why). */
  message?: string;
}

/** The calls a drain makes, as the user through the resource API (tests pass fakes). */
export interface DrainApi {
  cordon(): Promise<void>;
  /** Every pod bound to the node (all namespaces). */
  listPods(): Promise<KubeObject[]>;
  nodeExists(): Promise<boolean>;
  /** POST pods/{name}/eviction. */
  evict(pod: PlannedPod): Promise<void>;
  /** True once the pod is deleted (or replaced by another of the same name). */
  podGone(pod: PlannedPod): Promise<boolean>;
}

export interface DrainClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface DrainOptions {
  consent: DrainConsent;
  timeoutMs: number;
  /** Wait after a 429 before evicting again (kubectl: 5 s). */
  retryMs?: number;
  /** Between rounds of checking deletions and the node (kubectl polls every second). */
  pollMs?: number;
}

const ended = (s: PodState) => s === 'gone' || s === 'failed' || s === 'skipped';
const label = (p: PlannedPod) => `${p.namespace}/${p.name}`;
const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/** The words of an eviction refusal: the Status message and its causes (a PDB names itself and its numbers). */
export function refusalText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const causes = statusCauses(error).map((c) => c.message).filter((m): m is string => !!m && m !== message);
  return [message, ...causes].join(' ');
}

/**
 * `kubectl drain --ignore-daemonsets [--delete-emptydir-data] [--force] --timeout`: cordon, list
 * the node's pods and plan them (a pod that needs a consent not given stops the drain before any
 * eviction), then evict every pod, retrying refused ones (429: a PodDisruptionBudget) every
 * retryMs, and wait for each to be deleted. It ends done, failed (an eviction error other than
 * 429/404), timeout (naming the pods left and why), node-deleted, or stopped (the signal).
 * `report` gets a fresh snapshot after every change.
 */
export async function runDrain(api: DrainApi, options: DrainOptions, clock: DrainClock, report: (p: DrainProgress) => void, signal: AbortSignal): Promise<DrainProgress> {
  const retryMs = options.retryMs ?? 5000;
  const pollMs = options.pollMs ?? 1000;
  let pods: PodProgress[] = [];
  const emit = (phase: DrainPhase, message?: string): DrainProgress => {
    const progress = { phase, pods: pods.map((p) => ({ ...p })), message };
    report(progress);
    return progress;
  };
  const notFound = (e: unknown) => e instanceof ApiError && e.status === 404;
  const nodeGone = () => emit('node-deleted', `The node was deleted during the drain${leftOver()}`);
  const leftOver = () => {
    const left = pods.filter((p) => !ended(p.state));
    return left.length === 0 ? '.' : `; not evicted: ${left.map((p) => `${label(p)}${p.message ? ` (${p.message})` : ''}`).join(', ')}.`;
  };

  emit('cordoning');
  try {
    await api.cordon();
    pods = planDrain(await api.listPods(), options.consent).map((p) => ({
      ...p,
      state: p.action === 'skip' ? 'skipped' : p.action === 'blocked' ? 'blocked' : 'waiting',
      message: p.reason,
    }));
  } catch (e) {
    if (notFound(e)) return nodeGone();
    return emit('failed', `The drain could not start: ${refusalText(e)}`);
  }
  const blocked = pods.filter((p) => p.state === 'blocked');
  if (blocked.length > 0) {
    return emit('blocked', `Nothing was evicted; the node stays cordoned. ${blocked.map((p) => `${label(p)} ${p.reason}`).join('; ')}.`);
  }

  const deadline = clock.now() + options.timeoutMs;
  const retryAt = new Map<string, number>();
  emit('evicting');
  for (;;) {
    if (signal.aborted) return emit('stopped', `Stopped; the node stays cordoned${leftOver()}`);
    for (const p of pods) {
      if ((p.state !== 'waiting' && p.state !== 'retrying') || (retryAt.get(p.uid) ?? 0) > clock.now()) continue;
      p.state = 'evicting';
      emit('evicting');
      try {
        await api.evict(p);
        p.state = 'terminating';
        p.message = 'evicted; waiting for it to be deleted';
      } catch (e) {
        if (notFound(e)) {
          p.state = 'gone';
          p.message = 'already gone';
        } else if (e instanceof ApiError && e.status === 429) {
          p.state = 'retrying';
          p.message = refusalText(e);
          retryAt.set(p.uid, clock.now() + retryMs);
        } else {
          p.state = 'failed';
          p.message = refusalText(e);
        }
      }
      emit('evicting');
    }
    for (const p of pods.filter((x) => x.state === 'terminating')) {
      if (await api.podGone(p)) {
        p.state = 'gone';
        p.message = 'deleted';
        emit('evicting');
      }
    }
    if (pods.every((p) => ended(p.state))) {
      const failed = pods.filter((p) => p.state === 'failed');
      return failed.length > 0
        ? emit('failed', `${failed.length} pod(s) could not be evicted: ${failed.map((p) => `${label(p)} (${p.message})`).join(', ')}.`)
        : emit('done', `Drained: ${pods.filter((p) => p.state === 'gone').length} pod(s) evicted, ${pods.filter((p) => p.state === 'skipped').length} skipped.`);
    }
    if (!(await api.nodeExists())) return nodeGone();
    if (clock.now() >= deadline) return emit('timeout', `The drain stopped at its timeout of ${seconds(options.timeoutMs)}; the node stays cordoned${leftOver()}`);
    await clock.sleep(pollMs);
  }
}
