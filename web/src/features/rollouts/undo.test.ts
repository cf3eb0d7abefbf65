import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/errors';
import type { KubeObject } from '../../api/kube';
import { revisionsOf } from './revisions';
import { RevisionGoneError, undoTo, type UndoApi } from './undo';

const tpl = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } });
const deployment: KubeObject = { metadata: { name: 'web', uid: 'd1', annotations: {} }, spec: { template: tpl('nginx:2') } };
const rs = (uid = 'rs-1', ownerUid = 'd1'): KubeObject => ({
  metadata: { name: 'web-aaa', uid, annotations: { 'deployment.kubernetes.io/revision': '1' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: ownerUid, controller: true }] },
  spec: { template: tpl('nginx:1') },
});
const listed = revisionsOf('Deployment', deployment, [rs()])[0];

function fakeApi(source: () => KubeObject): UndoApi & { patches: unknown[] } {
  const patches: unknown[] = [];
  return {
    patches,
    getWorkload: async () => deployment,
    getSource: async () => source(),
    patchWorkload: async (body) => {
      patches.push(body);
      return deployment;
    },
  };
}

describe('undoTo', () => {
  it('listedRevision_SendsTheRollbackPatch', async () => {
    const api = fakeApi(() => rs());
    await expect(undoTo(api, 'Deployment', listed)).resolves.toEqual({ changed: true, message: 'rolled back to revision 1' });
    expect(api.patches).toHaveLength(1);
  });

  it('revisionDeletedMeanwhile_RevisionGoneAndNothingPatched', async () => {
    const api = fakeApi(() => {
      throw new ApiError(404, 'replicasets.apps "web-aaa" not found', 'NotFound');
    });
    const error = await undoTo(api, 'Deployment', listed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RevisionGoneError);
    expect((error as Error).message).toBe(
      'Revision 1 no longer exists: ReplicaSet web-aaa was deleted (revisionHistoryLimit, or by someone else) after this page listed it. Nothing was changed.',
    );
    expect(api.patches).toHaveLength(0);
  });

  it('revisionRecreatedOrReleased_RevisionGone', async () => {
    await expect(undoTo(fakeApi(() => rs('rs-2')), 'Deployment', listed)).rejects.toThrow(/was deleted and made again/);
    await expect(undoTo(fakeApi(() => rs('rs-1', 'other')), 'Deployment', listed)).rejects.toThrow(/no longer belongs to this Deployment/);
  });

  it('otherErrors_PassThrough', async () => {
    const api = fakeApi(() => {
      throw new ApiError(403, 'forbidden', 'Forbidden');
    });
    await expect(undoTo(api, 'Deployment', listed)).rejects.toThrow('forbidden');
  });
});
