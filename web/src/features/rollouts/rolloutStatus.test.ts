import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/kube';
import { rolloutStatus } from './rolloutStatus';

const obj = (spec: Record<string, unknown>, status: Record<string, unknown>, generation = 2): KubeObject => ({
  metadata: { name: 'web', generation } as KubeObject['metadata'],
  spec,
  status: { observedGeneration: 2, ...status },
});

describe('rolloutStatus', () => {
  it('deployment_UnobservedGeneration_WaitsForTheSpec', () => {
    const s = rolloutStatus('Deployment', obj({ replicas: 3 }, { observedGeneration: 1 }));
    expect(s.state).toBe('progressing');
    expect(s.message).toBe('Waiting for deployment spec update to be observed...');
  });

  it('deployment_CountsBelowDesired_SaysWhatItWaitsFor', () => {
    expect(rolloutStatus('Deployment', obj({ replicas: 3 }, { updatedReplicas: 1, replicas: 3 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
    );
    expect(rolloutStatus('Deployment', obj({ replicas: 3 }, { updatedReplicas: 3, replicas: 4 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
    );
    const s = rolloutStatus('Deployment', obj({ replicas: 3 }, { updatedReplicas: 3, replicas: 3, availableReplicas: 2, readyReplicas: 2 }));
    expect(s.message).toBe('Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...');
    expect(s).toMatchObject({ desired: 3, updated: 3, ready: 2, available: 2 });
  });

  it('deployment_ProgressDeadlineExceeded_IsAFailure', () => {
    const s = rolloutStatus('Deployment', obj({ replicas: 2 }, { updatedReplicas: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }));
    expect(s.state).toBe('failed');
    expect(s.message).toBe('deployment "web" exceeded its progress deadline');
  });

  it('deployment_AllAvailable_IsCompleteUnlessPaused', () => {
    const done = { updatedReplicas: 2, replicas: 2, availableReplicas: 2 };
    expect(rolloutStatus('Deployment', obj({ replicas: 2 }, done))).toMatchObject({ state: 'complete', message: 'deployment "web" successfully rolled out' });
    expect(rolloutStatus('Deployment', obj({ replicas: 2, paused: true }, done)).state).toBe('paused');
    expect(rolloutStatus('Deployment', obj({ replicas: 2, paused: true }, { replicas: 2, updatedReplicas: 0 })).message).toMatch(/is paused: 0 out of 2 new replicas/);
  });

  it('daemonSet_FollowsScheduledNumbers', () => {
    expect(rolloutStatus('DaemonSet', obj({}, { desiredNumberScheduled: 3, updatedNumberScheduled: 1 })).message).toBe(
      'Waiting for daemon set "web" rollout to finish: 1 out of 3 new pods have been updated...',
    );
    expect(rolloutStatus('DaemonSet', obj({}, { desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 })).state).toBe('complete');
    expect(rolloutStatus('DaemonSet', obj({ updateStrategy: { type: 'OnDelete' } }, {})).state).toBe('unsupported');
  });

  it('statefulSet_ReadyThenRevisions', () => {
    expect(rolloutStatus('StatefulSet', obj({ replicas: 3 }, { readyReplicas: 1 })).message).toBe('Waiting for 2 pods to be ready...');
    expect(rolloutStatus('StatefulSet', obj({ replicas: 2 }, { readyReplicas: 2, updatedReplicas: 1, currentRevision: 'db-a', updateRevision: 'db-b' })).message).toBe(
      'waiting for statefulset rolling update to complete 1 pods at revision db-b...',
    );
    expect(rolloutStatus('StatefulSet', obj({ replicas: 2 }, { readyReplicas: 2, currentReplicas: 2, currentRevision: 'db-b', updateRevision: 'db-b' }))).toMatchObject({
      state: 'complete',
      message: 'statefulset rolling update complete 2 pods at revision db-b...',
    });
    const partitioned = obj({ replicas: 4, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }, { readyReplicas: 4, updatedReplicas: 1 });
    expect(rolloutStatus('StatefulSet', partitioned).message).toBe('Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...');
  });
});
