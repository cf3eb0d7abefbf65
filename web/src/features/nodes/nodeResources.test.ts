import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/kube';
import { nodeResources, podAmount } from './nodeResources';

const pod = (spec: Record<string, unknown>, phase = 'Running'): KubeObject => ({ metadata: { name: 'p' }, spec, status: { phase } });
const c = (cpu?: string, memory?: string, limitCpu?: string) => ({ resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) }, ...(limitCpu ? { limits: { cpu: limitCpu } } : {}) } });

describe('podAmount', () => {
  it('containersSum_OrLargestInitContainer_PlusOverhead', () => {
    expect(podAmount(pod({ containers: [c('100m'), c('200m')] }), 'cpu', 'requests')).toBeCloseTo(0.3);
    expect(podAmount(pod({ containers: [c('100m')], initContainers: [c('1')] }), 'cpu', 'requests')).toBe(1);
    expect(podAmount(pod({ containers: [c('100m')], overhead: { cpu: '50m' } }), 'cpu', 'requests')).toBeCloseTo(0.15);
    expect(podAmount(pod({ containers: [c('100m')], initContainers: [{ ...c('200m'), restartPolicy: 'Always' }] }), 'cpu', 'requests')).toBeCloseTo(0.3);
    expect(podAmount(pod({ containers: [c('100m', undefined, '500m')] }), 'cpu', 'limits')).toBeCloseTo(0.5);
  });
});

describe('nodeResources', () => {
  it('capacityAllocatableRequested_OverActivePodsOnly', () => {
    const node: KubeObject = {
      metadata: { name: 'n1' },
      status: { capacity: { cpu: '8', memory: '16Gi', pods: '110' }, allocatable: { cpu: '7500m', memory: '15Gi', pods: '110' } },
    };
    const rows = nodeResources(node, [pod({ containers: [c('750m', '1Gi')] }), pod({ containers: [c('2', '4Gi')] }, 'Succeeded')]);
    expect(rows.map((r) => r.resource)).toEqual(['cpu', 'memory', 'pods']);
    expect(rows[0]).toEqual({ resource: 'cpu', capacity: '8', allocatable: '7.5', requested: '750m', limits: '0', percent: 10 });
    expect(rows[1]).toMatchObject({ capacity: '16Gi', allocatable: '15Gi', requested: '1Gi', percent: 6 });
    expect(rows[2]).toMatchObject({ requested: '1', limits: '' });
  });
});
