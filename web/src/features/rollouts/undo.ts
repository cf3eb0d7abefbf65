import { ApiError } from '../../api/errors';
import type { KubeObject, PatchType } from '../../api/kube';
import { rollbackPlan, type Revision } from './revisions';
import type { WorkloadKind } from './workloadKind';

/** The calls an undo makes, as the user through the resource API (tests pass fakes). */
export interface UndoApi {
  getWorkload(): Promise<KubeObject>;
  /** The revision's ReplicaSet or ControllerRevision, read again by name. */
  getSource(name: string): Promise<KubeObject>;
  patchWorkload(body: unknown, type: PatchType): Promise<KubeObject>;
}

/** The outcome of an undo a person reads: rolled back, or skipped (the template already matched). */
export interface UndoResult {
  changed: boolean;
  message: string;
}

/** A revision that vanished between listing and rolling back (revisionHistoryLimit, someone deleted it). */
export class RevisionGoneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RevisionGoneError';
  }
}

/**
 * `kubectl rollout undo --to-revision=N` for the revision the user picked: reads the workload
 * and the revision's object again (a revision that is gone, or no longer this workload's, is a
 * RevisionGoneError and nothing changes), then sends kubectl's patch.
 */
export async function undoTo(api: UndoApi, kind: WorkloadKind, revision: Revision): Promise<UndoResult> {
  const sourceKind = kind === 'Deployment' ? 'ReplicaSet' : 'ControllerRevision';
  const sourceName = revision.source.metadata.name;
  const gone = (why: string) =>
    new RevisionGoneError(`Revision ${revision.revision} no longer exists: ${sourceKind} ${sourceName} ${why} after this page listed it. Nothing was changed.`);
  const workload = await api.getWorkload();
  let source: KubeObject;
  try {
    source = await api.getSource(sourceName);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) throw gone('was deleted (revisionHistoryLimit, or by someone else)');
    throw e;
  }
  if (source.metadata.uid !== revision.source.metadata.uid) throw gone('was deleted and made again');
  if (!source.metadata.ownerReferences?.some((r) => r.controller && r.uid === workload.metadata.uid)) throw gone(`no longer belongs to this ${kind}`);
  const plan = rollbackPlan(kind, workload, source, revision.revision);
  if (plan.action === 'refuse') throw new Error(plan.message);
  if (plan.action === 'skip') return { changed: false, message: plan.message };
  await api.patchWorkload(plan.body, plan.type);
  return { changed: true, message: `rolled back to revision ${revision.revision}` };
}
