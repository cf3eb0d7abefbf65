import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/kube';
import { currentRevision, revisionsOf, rollbackPlan, templateYaml, workloadTemplate } from './revisions';

const template = (image: string, hash?: string) => ({
  metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) } },
  spec: { containers: [{ name: 'web', image }] },
});
const owner = (uid = 'd1') => [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid, controller: true }];

const deployment = (image: string, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'web', namespace: 'default', uid: 'd1', annotations: { 'deployment.kubernetes.io/revision': '2', 'kubectl.kubernetes.io/last-applied-configuration': '{}', note: 'now' } },
  spec: { replicas: 2, template: template(image), ...extra },
});

const replicaSet = (name: string, revision: string, image: string, annotations: Record<string, string> = {}, uid = 'd1'): KubeObject => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, ownerReferences: owner(uid), annotations: { 'deployment.kubernetes.io/revision': revision, ...annotations } },
  spec: { template: template(image, name.slice(4)) },
  status: { replicas: 1 },
});

describe('revisionsOf', () => {
  it('deployment_OwnedReplicaSetsNewestFirst_WithChangeCauseAndNoHash', () => {
    const list = revisionsOf('Deployment', deployment('nginx:2'), [
      replicaSet('web-aaa', '1', 'nginx:1', { 'kubernetes.io/change-cause': 'first' }),
      replicaSet('web-bbb', '2', 'nginx:2'),
      replicaSet('web-ccc', '7', 'nginx:9', {}, 'someone-else'),
      replicaSet('web-ddd', 'x', 'nginx:3'),
    ]);
    expect(list.map((r) => r.revision)).toEqual([2, 1]);
    expect(list[1].changeCause).toBe('first');
    expect(list[1].template.metadata?.labels).toEqual({ app: 'web' });
    expect(list[1].pods).toBe(1);
  });

  it('controllerRevisions_TemplateWithoutPatchDirective', () => {
    const sts: KubeObject = { metadata: { name: 'db', uid: 's1' }, status: { updateRevision: 'db-1' } };
    const cr = (name: string, revision: number): KubeObject => ({
      metadata: { name, uid: name, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 's1', controller: true }] },
      revision,
      data: { spec: { template: { ...template(`redis:${revision}`), $patch: 'replace' } } },
    });
    const list = revisionsOf('StatefulSet', sts, [cr('db-1', 1), cr('db-2', 2)]);
    expect(list.map((r) => r.revision)).toEqual([2, 1]);
    expect(list[0].template).toEqual(template('redis:2'));
    expect(currentRevision('StatefulSet', sts, list)).toBe(1);
    expect(currentRevision('DaemonSet', sts, list)).toBe(2);
  });

  it('templateYaml_SortsKeys_SoEqualTemplatesPrintAlike', () => {
    expect(templateYaml({ spec: { b: 1, a: 2 }, metadata: {} })).toBe(templateYaml({ metadata: {}, spec: { a: 2, b: 1 } }));
    expect(workloadTemplate(deployment('nginx:2')).metadata?.labels).toEqual({ app: 'web' });
  });
});

describe('rollbackPlan', () => {
  it('deployment_JsonPatchOfTemplateAndAnnotations_AsKubectl', () => {
    const rs = replicaSet('web-aaa', '1', 'nginx:1', { 'kubernetes.io/change-cause': 'first', 'deployment.kubernetes.io/desired-replicas': '2' });
    const plan = rollbackPlan('Deployment', deployment('nginx:2'), rs, 1);
    expect(plan).toEqual({
      action: 'patch',
      type: 'json',
      body: [
        { op: 'replace', path: '/spec/template', value: template('nginx:1') },
        {
          op: 'replace',
          path: '/metadata/annotations',
          value: { 'deployment.kubernetes.io/revision': '2', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'kubernetes.io/change-cause': 'first' },
        },
      ],
    });
  });

  it('deployment_SameTemplate_SkippedAndPaused_Refused', () => {
    expect(rollbackPlan('Deployment', deployment('nginx:1'), replicaSet('web-aaa', '1', 'nginx:1'), 1)).toEqual({
      action: 'skip',
      message: 'skipped rollback (current template already matches revision 1)',
    });
    const paused = rollbackPlan('Deployment', deployment('nginx:2', { paused: true }), replicaSet('web-aaa', '1', 'nginx:1'), 1);
    expect(paused).toMatchObject({ action: 'refuse' });
    expect(paused.action === 'refuse' && paused.message).toMatch(/cannot rollback a paused deployment/);
  });

  it('statefulSet_RevisionDataAsStrategicMergePatch', () => {
    const data = { spec: { template: { ...template('redis:1'), $patch: 'replace' } } };
    const cr: KubeObject = { metadata: { name: 'db-1' }, revision: 1, data };
    const sts: KubeObject = { metadata: { name: 'db' }, spec: { template: template('redis:2') } };
    expect(rollbackPlan('StatefulSet', sts, cr, 1)).toEqual({ action: 'patch', type: 'strategic', body: data });
    const same: KubeObject = { metadata: { name: 'db' }, spec: { template: template('redis:1') } };
    expect(rollbackPlan('DaemonSet', same, cr, 1).action).toBe('skip');
  });
});
