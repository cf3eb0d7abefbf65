import type { KubeObject } from '../../api/kube';
import type { WorkloadKind } from './workloadKind';

/** Where a rollout stands, as `kubectl rollout status` judges it, with the counts it reads. */
export interface RolloutStatus {
  state: 'progressing' | 'complete' | 'failed' | 'paused' | 'unsupported';
  /** kubectl's sentence for this state ("Waiting for deployment "web" rollout to finish: ..."). */
  message: string;
  desired: number;
  updated: number;
  ready: number;
  available: number;
}

type Num = number | undefined;
interface Spec {
  replicas?: number;
  paused?: boolean;
  updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
}
interface Status {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  currentReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  desiredNumberScheduled?: number;
  updatedNumberScheduled?: number;
  numberReady?: number;
  numberAvailable?: number;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

const n = (v: Num) => v ?? 0;

/** The rollout status of a Deployment, StatefulSet or DaemonSet (kubectl's status viewers, plus paused). */
export function rolloutStatus(kind: WorkloadKind, object: KubeObject): RolloutStatus {
  const spec = (object.spec ?? {}) as Spec;
  const status = (object.status ?? {}) as Status;
  const generation = (object.metadata as { generation?: number }).generation ?? 0;
  const observed = generation <= n(status.observedGeneration);
  const name = object.metadata.name;
  if (kind === 'Deployment') {
    const desired = spec.replicas ?? 1;
    const counts = { desired, updated: n(status.updatedReplicas), ready: n(status.readyReplicas), available: n(status.availableReplicas) };
    const progressing = status.conditions?.find((c) => c.type === 'Progressing');
    const say = (state: RolloutStatus['state'], message: string): RolloutStatus => ({ state, message, ...counts });
    if (!observed) return say('progressing', 'Waiting for deployment spec update to be observed...');
    if (progressing?.reason === 'ProgressDeadlineExceeded') return say('failed', `deployment "${name}" exceeded its progress deadline`);
    const waiting = (detail: string) =>
      spec.paused ? say('paused', `deployment "${name}" is paused: ${detail}; resume it to continue the rollout`) : say('progressing', `Waiting for deployment "${name}" rollout to finish: ${detail}...`);
    if (counts.updated < desired) return waiting(`${counts.updated} out of ${desired} new replicas have been updated`);
    if (n(status.replicas) > counts.updated) return waiting(`${n(status.replicas) - counts.updated} old replicas are pending termination`);
    if (counts.available < counts.updated) return waiting(`${counts.available} of ${counts.updated} updated replicas are available`);
    return say(spec.paused ? 'paused' : 'complete', `deployment "${name}" successfully rolled out${spec.paused ? ' (paused)' : ''}`);
  }
  if (kind === 'DaemonSet') {
    const desired = n(status.desiredNumberScheduled);
    const counts = { desired, updated: n(status.updatedNumberScheduled), ready: n(status.numberReady), available: n(status.numberAvailable) };
    const say = (state: RolloutStatus['state'], message: string): RolloutStatus => ({ state, message, ...counts });
    if ((spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return say('unsupported', 'rollout status is only available for RollingUpdate strategy type');
    if (!observed) return say('progressing', 'Waiting for daemon set spec update to be observed...');
    if (counts.updated < desired) return say('progressing', `Waiting for daemon set "${name}" rollout to finish: ${counts.updated} out of ${desired} new pods have been updated...`);
    if (counts.available < desired) return say('progressing', `Waiting for daemon set "${name}" rollout to finish: ${counts.available} of ${desired} updated pods are available...`);
    return say('complete', `daemon set "${name}" successfully rolled out`);
  }
  const desired = spec.replicas ?? 1;
  const counts = { desired, updated: n(status.updatedReplicas), ready: n(status.readyReplicas), available: n(status.availableReplicas) };
  const say = (state: RolloutStatus['state'], message: string): RolloutStatus => ({ state, message, ...counts });
  if ((spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return say('unsupported', 'rollout status is only available for RollingUpdate strategy type');
  if (n(status.observedGeneration) === 0 || !observed) return say('progressing', 'Waiting for statefulset spec update to be observed...');
  if (counts.ready < desired) return say('progressing', `Waiting for ${desired - counts.ready} pods to be ready...`);
  const rolling = spec.updateStrategy?.rollingUpdate;
  if (rolling) {
    const partition = rolling.partition;
    if (partition !== undefined && counts.updated < desired - partition)
      return say('progressing', `Waiting for partitioned roll out to finish: ${counts.updated} out of ${desired - partition} new pods have been updated...`);
    return say('complete', `partitioned roll out complete: ${counts.updated} new pods have been updated...`);
  }
  if (status.updateRevision !== status.currentRevision)
    return say('progressing', `waiting for statefulset rolling update to complete ${counts.updated} pods at revision ${status.updateRevision}...`);
  return say('complete', `statefulset rolling update complete ${n(status.currentReplicas)} pods at revision ${status.currentRevision}...`);
}
