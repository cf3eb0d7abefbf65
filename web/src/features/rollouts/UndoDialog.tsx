import { useMutation } from '@tanstack/react-query';
import { getObject, patchObject, type KubeObject } from '../../api/kube';
import type { Gvr } from '../../app/routes';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DiffView } from '../../components/diff/DiffView';
import { ErrorMessage } from '../../components/States';
import { templateYaml, workloadTemplate, type Revision } from './revisions';
import { undoTo, type UndoResult } from './undo';
import type { WorkloadKind } from './workloadKind';

const apps = (resource: string): Gvr => ({ group: 'apps', version: 'v1', resource });

/**
 * Confirms `rollout undo --to-revision=N` with the diff from the running template to the
 * revision's. While open it watches the history: a revision that disappears says so and cannot
 * be confirmed; one that vanishes between that and the click is caught by undoTo's re-read.
 */
export function UndoDialog({ cluster, gvr, kind, workload, revision, stillListed, onDone, onClose }: {
  cluster: string;
  gvr: Gvr;
  kind: WorkloadKind;
  workload: KubeObject;
  revision: Revision;
  stillListed: boolean;
  onDone: (result: UndoResult) => void;
  onClose: () => void;
}) {
  const { namespace, name } = workload.metadata;
  const sourceGvr = apps(kind === 'Deployment' ? 'replicasets' : 'controllerrevisions');
  const undo = useMutation({
    mutationFn: () =>
      undoTo(
        {
          getWorkload: () => getObject(cluster, gvr, namespace, name),
          getSource: (source) => getObject(cluster, sourceGvr, namespace, source),
          patchWorkload: (body, type) => patchObject(cluster, gvr, namespace, name, body, { type }),
        },
        kind,
        revision,
      ),
    onSuccess: onDone,
  });
  const sourceKind = kind === 'Deployment' ? 'ReplicaSet' : 'ControllerRevision';
  return (
    <ConfirmDialog
      title={`Roll ${name} back to revision ${revision.revision}?`}
      confirmLabel="Roll back"
      wide
      busy={undo.isPending || !stillListed}
      onConfirm={() => undo.mutate()}
      onClose={onClose}
    >
      {stillListed ? (
        <p>
          The pod template of {kind} <strong>{name}</strong> becomes that of revision {revision.revision} ({sourceKind} {revision.source.metadata.name}
          {revision.changeCause ? `: ${revision.changeCause}` : ''}); the controller rolls the pods over to it.
        </p>
      ) : (
        <div className="state error" role="alert" data-testid="undo-gone">
          Revision {revision.revision} no longer exists: {sourceKind} {revision.source.metadata.name} was deleted after this page listed it (revisionHistoryLimit, or by someone else). Nothing was changed.
        </div>
      )}
      <DiffView before={templateYaml(workloadTemplate(workload))} after={templateYaml(revision.template)} testId="undo-diff" />
      {undo.error && <ErrorMessage error={undo.error} />}
    </ConfirmDialog>
  );
}
