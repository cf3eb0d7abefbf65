import type { KubeObject } from '../../api/kube';

/** What the person agreed to when starting a drain (kubectl's --delete-emptydir-data and --force). */
export interface DrainConsent {
  emptyDir: boolean;
  unmanaged: boolean;
}

/** One pod on the node and what a drain does with it. */
export interface PlannedPod {
  namespace: string;
  name: string;
  uid: string;
  /** evict; skip (DaemonSet, mirror pod); blocked until the person consents. */
  action: 'evict' | 'skip' | 'blocked';
  reason?: string;
}

const finished = (pod: KubeObject) => ['Succeeded', 'Failed'].includes((pod.status as { phase?: string } | undefined)?.phase ?? '');

/**
 * kubectl drain's pod filters, with --ignore-daemonsets always on: DaemonSet pods and mirror
 * pods are skipped; pods with emptyDir volumes and pods no controller will recreate are evicted
 * only with consent (finished pods need neither); the rest are evicted.
 */
export function planDrain(pods: readonly KubeObject[], consent: DrainConsent): PlannedPod[] {
  return pods
    .map((pod): PlannedPod => {
      const base = { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name, uid: pod.metadata.uid ?? '' };
      const controller = pod.metadata.ownerReferences?.find((r) => r.controller);
      if (controller?.kind === 'DaemonSet') return { ...base, action: 'skip', reason: 'DaemonSet-managed: its controller would put it back' };
      if (pod.metadata.annotations?.['kubernetes.io/config.mirror']) return { ...base, action: 'skip', reason: 'mirror pod: the kubelet owns it' };
      if (finished(pod)) return { ...base, action: 'evict' };
      const needs: string[] = [];
      const volumes = ((pod.spec as { volumes?: { emptyDir?: unknown }[] } | undefined)?.volumes ?? []);
      if (!consent.emptyDir && volumes.some((v) => v.emptyDir)) needs.push('has emptyDir data that is deleted with it');
      if (!consent.unmanaged && !controller) needs.push('has no controller: nothing will recreate it');
      return needs.length > 0 ? { ...base, action: 'blocked', reason: needs.join('; ') } : { ...base, action: 'evict' };
    })
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

/** Which consents the pods would need (to offer only the checkboxes that matter). */
export function consentsNeeded(pods: readonly KubeObject[]): DrainConsent {
  const blockedWithout = (consent: DrainConsent) => planDrain(pods, consent).some((p) => p.action === 'blocked');
  return { emptyDir: blockedWithout({ emptyDir: false, unmanaged: true }), unmanaged: blockedWithout({ emptyDir: true, unmanaged: false }) };
}
