import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/kube';
import { consentsNeeded, planDrain } from './drainPlan';

const owned = (kind: string) => [{ apiVersion: 'apps/v1', kind, name: 'x', uid: 'u', controller: true }];
const pod = (name: string, extra: { owner?: string; emptyDir?: boolean; phase?: string; mirror?: boolean } = {}): KubeObject => ({
  metadata: {
    name,
    namespace: 'ns',
    uid: name,
    ...(extra.owner ? { ownerReferences: owned(extra.owner) } : {}),
    ...(extra.mirror ? { annotations: { 'kubernetes.io/config.mirror': 'x' } } : {}),
  },
  spec: { volumes: extra.emptyDir ? [{ name: 'cache', emptyDir: {} }] : [] },
  status: { phase: extra.phase ?? 'Running' },
});

const pods = [
  pod('a-web', { owner: 'ReplicaSet' }),
  pod('b-agent', { owner: 'DaemonSet' }),
  pod('c-cache', { owner: 'ReplicaSet', emptyDir: true }),
  pod('d-bare'),
  pod('e-done', { phase: 'Succeeded' }),
  pod('f-mirror', { mirror: true }),
];

describe('planDrain', () => {
  it('withoutConsent_DaemonSetsAndMirrorsSkipped_EmptyDirAndBareBlocked', () => {
    const plan = planDrain(pods, { emptyDir: false, unmanaged: false });
    expect(plan.map((p) => [p.name, p.action])).toEqual([
      ['a-web', 'evict'],
      ['b-agent', 'skip'],
      ['c-cache', 'blocked'],
      ['d-bare', 'blocked'],
      ['e-done', 'evict'],
      ['f-mirror', 'skip'],
    ]);
    expect(plan[2].reason).toMatch(/emptyDir/);
    expect(plan[3].reason).toMatch(/no controller/);
  });

  it('withConsent_EveryOtherPodIsEvicted', () => {
    const plan = planDrain(pods, { emptyDir: true, unmanaged: true });
    expect(plan.filter((p) => p.action === 'evict').map((p) => p.name)).toEqual(['a-web', 'c-cache', 'd-bare', 'e-done']);
  });

  it('consentsNeeded_NamesOnlyWhatThePodsNeed', () => {
    expect(consentsNeeded(pods)).toEqual({ emptyDir: true, unmanaged: true });
    expect(consentsNeeded([pod('a', { owner: 'ReplicaSet' }), pod('b', { owner: 'ReplicaSet', emptyDir: true })])).toEqual({ emptyDir: true, unmanaged: false });
  });
});
