import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { KubeObject } from '../../api/kube';
import { objectPath, type Gvr } from '../../app/routes';
import { DiffView } from '../../components/diff/DiffView';
import { Empty, ErrorMessage, Loading } from '../../components/States';
import type { Gate } from '../actions/useCan';
import { formatAge } from '../resources/columns';
import { useNow } from '../resources/useNow';
import type { WatchState } from '../resources/watchReducer';
import { currentRevision, revisionsOf, templateYaml, type Revision } from './revisions';
import { UndoDialog } from './UndoDialog';
import type { UndoResult } from './undo';
import type { WorkloadKind } from './workloadKind';

/**
 * `kubectl rollout history`, live: one row per revision (change-cause, age, object, pods), the
 * template diff between any two, and "Roll back" to any but the running one.
 */
export function RevisionHistory({ cluster, gvr, kind, workload, sources, gate }: {
  cluster: string;
  gvr: Gvr;
  kind: WorkloadKind;
  workload: KubeObject;
  sources: WatchState;
  gate: Gate;
}) {
  const now = useNow(5000);
  const revisions = useMemo(() => revisionsOf(kind, workload, sources.objects.values()), [kind, workload, sources.objects]);
  const current = currentRevision(kind, workload, revisions);
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [undoing, setUndoing] = useState<Revision | null>(null);
  const [result, setResult] = useState<UndoResult | null>(null);
  if (!sources.synced) return <Loading label="Loading the revision history…" />;
  if (sources.error) return <ErrorMessage error={new Error(sources.error.message)} />;
  if (revisions.length === 0) return <Empty>No revisions recorded yet.</Empty>;

  const find = (n: number | null) => (n === null ? undefined : revisions.find((r) => r.revision === n));
  const after = find(to) ?? revisions.find((r) => r.revision === current) ?? revisions[0];
  const before = find(from) ?? revisions.find((r) => r.revision !== after.revision) ?? after;
  const sourceGvr: Gvr = { group: 'apps', version: 'v1', resource: kind === 'Deployment' ? 'replicasets' : 'controllerrevisions' };
  const pick = (value: number | null, onChange: (n: number) => void, testId: string) => (
    <select data-testid={testId} value={value ?? ''} onChange={(e) => onChange(Number(e.target.value))}>
      {revisions.map((r) => (
        <option key={r.revision} value={r.revision}>
          {`revision ${r.revision}${r.revision === current ? ' (current)' : ''}`}
        </option>
      ))}
    </select>
  );

  return (
    <section className="rollout-history">
      {result && (
        <div className={result.changed ? 'tone-ok' : 'tone-warn'} data-testid="rollout-result">
          {result.message}
        </div>
      )}
      <table className="simple" data-testid="rollout-history">
        <thead>
          <tr>
            <th>Revision</th>
            <th>Change cause</th>
            <th>Age</th>
            <th>{kind === 'Deployment' ? 'ReplicaSet' : 'ControllerRevision'}</th>
            {kind === 'Deployment' && <th>Pods</th>}
            <th />
          </tr>
        </thead>
        <tbody>
          {revisions.map((r) => (
            <tr key={r.source.metadata.uid ?? r.revision} data-testid={`revision-${r.revision}`}>
              <td>
                {r.revision}
                {r.revision === current && <span className="chip rollout-current">current</span>}
              </td>
              <td data-testid="change-cause">{r.changeCause ?? <span className="muted">&lt;none&gt;</span>}</td>
              <td>{formatAge(Date.parse(r.source.metadata.creationTimestamp ?? ''), now)}</td>
              <td className="mono">
                {kind === 'Deployment' ? <Link to={objectPath(cluster, sourceGvr, r.source.metadata.namespace, r.source.metadata.name)}>{r.source.metadata.name}</Link> : r.source.metadata.name}
              </td>
              {kind === 'Deployment' && <td>{r.pods}</td>}
              <td>
                {r.revision !== current && (
                  <button
                    type="button"
                    data-testid={`undo-${r.revision}`}
                    disabled={!gate.allowed}
                    title={gate.reason}
                    onClick={() => {
                      setResult(null);
                      setUndoing(r);
                    }}
                  >
                    Roll back to this
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 className="section-title">Template diff</h2>
      <div className="rollout-diff-pick">
        from {pick(before.revision, setFrom, 'diff-from')} to {pick(after.revision, setTo, 'diff-to')}
      </div>
      <DiffView before={templateYaml(before.template)} after={templateYaml(after.template)} testId="rollout-diff" />
      {undoing && (
        <UndoDialog
          cluster={cluster}
          gvr={gvr}
          kind={kind}
          workload={workload}
          revision={undoing}
          stillListed={revisions.some((r) => r.source.metadata.uid === undoing.source.metadata.uid)}
          onDone={(r) => {
            setResult(r);
            setUndoing(null);
          }}
          onClose={() => setUndoing(null)}
        />
      )}
    </section>
  );
}
