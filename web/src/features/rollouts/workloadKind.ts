import type { Gvr } from '../../app/routes';

/** The kinds with a rollout: revision history, undo, restart, rollout status. */
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

const byResource: Record<string, WorkloadKind> = { deployments: 'Deployment', statefulsets: 'StatefulSet', daemonsets: 'DaemonSet' };

/** The workload kind of an apps/v1 resource, or undefined for anything else. */
export const workloadKindOf = (gvr: Gvr): WorkloadKind | undefined => (gvr.group === 'apps' ? byResource[gvr.resource] : undefined);

/** kubectl's lower-case words for the kind in its messages ("deployment", "daemon set", "statefulset"). */
export const kubectlNoun: Record<WorkloadKind, string> = { Deployment: 'deployment', StatefulSet: 'statefulset', DaemonSet: 'daemon set' };
