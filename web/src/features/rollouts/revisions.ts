import { stringify } from 'yaml';
import type { KubeObject, PatchType } from '../../api/kube';
import type { WorkloadKind } from './workloadKind';

export const changeCauseAnnotation = 'kubernetes.io/change-cause';
export const revisionAnnotation = 'deployment.kubernetes.io/revision';
const hashLabel = 'pod-template-hash';

/** A pod template as Kubernetes serialises it. */
export type PodTemplate = { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } & Record<string, unknown> } & Record<string, unknown>;

/** One entry of a workload's rollout history (`kubectl rollout history`). */
export interface Revision {
  revision: number;
  /** The ReplicaSet (Deployments) or ControllerRevision (StatefulSets, DaemonSets) that records it. */
  source: KubeObject;
  changeCause?: string;
  /** The revision's pod template, without the pod-template-hash label and the $patch directive. */
  template: PodTemplate;
  /** Pods of this revision (a ReplicaSet's status.replicas); undefined for ControllerRevisions. */
  pods?: number;
}

const controlledBy = (o: KubeObject, uid: string | undefined) => o.metadata.ownerReferences?.some((r) => r.controller && r.uid === uid) ?? false;

/** A template without the Deployment controller's pod-template-hash label (kubectl's equalIgnoreHash). */
export function withoutHash(template: PodTemplate | undefined): PodTemplate {
  const copy = structuredClone(template ?? {}) as PodTemplate;
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[hashLabel];
  }
  return copy;
}

function recordedTemplate(source: KubeObject): PodTemplate {
  const data = source.data as { spec?: { template?: PodTemplate } } | undefined;
  const template = structuredClone(data?.spec?.template ?? {}) as PodTemplate;
  delete template.$patch;
  return template;
}

/**
 * The history of `owner` from the ReplicaSets (Deployment) or ControllerRevisions it controls,
 * newest first. ReplicaSets without a readable revision annotation are left out, as kubectl does.
 */
export function revisionsOf(kind: WorkloadKind, owner: KubeObject, candidates: Iterable<KubeObject>): Revision[] {
  const out: Revision[] = [];
  for (const o of candidates) {
    if (!controlledBy(o, owner.metadata.uid)) continue;
    const changeCause = o.metadata.annotations?.[changeCauseAnnotation];
    if (kind === 'Deployment') {
      const revision = Number(o.metadata.annotations?.[revisionAnnotation]);
      if (!Number.isInteger(revision) || revision <= 0) continue;
      const spec = o.spec as { template?: PodTemplate } | undefined;
      out.push({ revision, source: o, changeCause, template: withoutHash(spec?.template), pods: (o.status as { replicas?: number } | undefined)?.replicas ?? 0 });
    } else {
      const revision = Number(o.revision);
      if (!Number.isInteger(revision)) continue;
      out.push({ revision, source: o, changeCause, template: recordedTemplate(o) });
    }
  }
  return out.sort((a, b) => b.revision - a.revision);
}

/** The revision the workload runs now: a Deployment's revision annotation, a StatefulSet's updateRevision, else the newest. */
export function currentRevision(kind: WorkloadKind, owner: KubeObject, revisions: readonly Revision[]): number | undefined {
  if (kind === 'Deployment') {
    const annotated = Number(owner.metadata.annotations?.[revisionAnnotation]);
    if (Number.isInteger(annotated) && annotated > 0) return annotated;
  }
  if (kind === 'StatefulSet') {
    const update = (owner.status as { updateRevision?: string } | undefined)?.updateRevision;
    const match = revisions.find((r) => r.source.metadata.name === update);
    if (match) return match.revision;
  }
  return revisions[0]?.revision;
}

/** A template as YAML for the diff: keys sorted, so templates from different objects line up. */
export const templateYaml = (template: PodTemplate) => stringify(template, { sortMapEntries: true, lineWidth: 0 });

/** The workload's own pod template, in the same form as a revision's. */
export const workloadTemplate = (workload: KubeObject) => withoutHash((workload.spec as { template?: PodTemplate } | undefined)?.template);

/** JSON with object keys in order: equal texts mean semantically equal values. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const sameJson = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** Annotations a rollback keeps from the Deployment instead of copying them from the ReplicaSet (kubectl's annotationsToSkip). */
const keptAnnotations = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

/** What `kubectl rollout undo --to-revision` would do: the PATCH it sends, or why it sends none. */
export type RollbackPlan =
  | { action: 'patch'; type: PatchType; body: unknown }
  | { action: 'skip'; message: string }
  | { action: 'refuse'; message: string };

/**
 * kubectl's rollback request. Deployments: a JSON patch replacing spec.template with the
 * ReplicaSet's (hash label removed) and metadata.annotations with the ReplicaSet's plus the
 * Deployment's own kept ones; refused while paused. StatefulSets and DaemonSets: the
 * ControllerRevision's data as a strategic merge patch. Skipped when the template already matches.
 */
export function rollbackPlan(kind: WorkloadKind, workload: KubeObject, source: KubeObject, revision: number): RollbackPlan {
  const name = workload.metadata.name;
  const skipped = { action: 'skip', message: `skipped rollback (current template already matches revision ${revision})` } as const;
  if (kind === 'Deployment') {
    if ((workload.spec as { paused?: boolean } | undefined)?.paused)
      return { action: 'refuse', message: `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${name}' and try again` };
    const template = withoutHash((source.spec as { template?: PodTemplate } | undefined)?.template);
    if (sameJson(template, workloadTemplate(workload))) return skipped;
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(workload.metadata.annotations ?? {})) if (keptAnnotations.has(k)) annotations[k] = v;
    for (const [k, v] of Object.entries(source.metadata.annotations ?? {})) if (!keptAnnotations.has(k)) annotations[k] = v;
    return {
      action: 'patch',
      type: 'json',
      body: [
        { op: 'replace', path: '/spec/template', value: template },
        { op: 'replace', path: '/metadata/annotations', value: annotations },
      ],
    };
  }
  const current = { spec: { template: { ...((workload.spec as { template?: PodTemplate } | undefined)?.template ?? {}), $patch: 'replace' } } };
  if (sameJson(source.data, current)) return skipped;
  return { action: 'patch', type: 'strategic', body: source.data };
}
