import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { objectPath } from '../../app/routes';
import { ErrorMessage, Loading } from '../../components/States';
import { useGate } from '../actions/useCan';
import { useResourceWatch } from '../resources/useResourceWatch';
import { drainApi, realClock } from './drainApi';
import { consentsNeeded, planDrain, type PlannedPod } from './drainPlan';
import type { DrainPhase, PodProgress } from './drainRunner';
import { startDrain, useDrainRun } from './drainStore';
import { useNodePods } from './NodeTab';
import './nodes.css';

const nodesGvr = { group: '', version: 'v1', resource: 'nodes' };
const phaseTone: Record<DrainPhase, string> = {
  cordoning: 'tone-warn', evicting: 'tone-warn', done: 'tone-ok', timeout: 'tone-bad', 'node-deleted': 'tone-bad', blocked: 'tone-bad', failed: 'tone-bad', stopped: 'tone-warn',
};

/**
 * `kubectl drain` in the browser: the plan from the node's live pods (DaemonSet pods skipped;
 * emptyDir and unmanaged pods only with consent), a timeout, then live per-pod progress with the
 * reason a pod is not evicted yet (a PDB's refusal), and how the drain ended.
 */
export function DrainPage({ cluster, node }: { cluster: string; node: string }) {
  const [nodeWatch] = useResourceWatch([{ cluster, ...nodesGvr, fieldSelector: `metadata.name=${node}` }]);
  const pods = useNodePods(cluster, node);
  const gate = useGate(cluster, { verb: 'patch', group: '', resource: 'nodes', name: node });
  const [consent, setConsent] = useState({ emptyDir: false, unmanaged: false });
  const [timeout, setTimeoutSeconds] = useState(120);
  const key = `${cluster}/${node}`;
  const run = useDrainRun(key);
  const podList = useMemo(() => [...pods.objects.values()], [pods.objects]);
  const plan = useMemo(() => planDrain(podList, consent), [podList, consent]);
  const needed = useMemo(() => consentsNeeded(podList), [podList]);
  const nodeObject = [...nodeWatch.objects.values()][0];
  if (!nodeWatch.synced || !pods.synced) return <Loading label={`Loading node ${node}…`} />;
  if (pods.error) return <ErrorMessage error={new Error(pods.error.message)} />;

  const active = run && run.running;
  const blocked = plan.filter((p) => p.action === 'blocked');
  const start = () => startDrain(key, drainApi(cluster, node), { consent, timeoutMs: timeout * 1000 }, realClock);
  return (
    <section className="drain-page" data-testid="drain-page">
      <div className="object-kind">Drain</div>
      <h1>
        Node <Link to={objectPath(cluster, nodesGvr, undefined, node)}>{node}</Link>
      </h1>
      <div data-testid="drain-node-state">
        {!nodeObject ? (
          <span className="tone-bad">The node does not exist (any more).</span>
        ) : (nodeObject.spec as { unschedulable?: boolean } | undefined)?.unschedulable ? (
          <span className="tone-warn">Cordoned: no new pods are scheduled here.</span>
        ) : (
          <span>Schedulable.</span>
        )}
      </div>
      {run && (
        <div className={`drain-status ${phaseTone[run.progress.phase]}`} data-testid="drain-status" data-phase={run.progress.phase}>
          {run.progress.phase}
          {run.progress.message ? `: ${run.progress.message}` : ''}
        </div>
      )}
      {!active && (
        <div className="drain-options">
          {needed.emptyDir && (
            <label>
              <input type="checkbox" data-testid="drain-emptydir" checked={consent.emptyDir} onChange={(e) => setConsent({ ...consent, emptyDir: e.target.checked })} /> Delete the
              emptyDir data of the pods that have some (--delete-emptydir-data)
            </label>
          )}
          {needed.unmanaged && (
            <label>
              <input type="checkbox" data-testid="drain-unmanaged" checked={consent.unmanaged} onChange={(e) => setConsent({ ...consent, unmanaged: e.target.checked })} /> Delete the
              pods no controller will recreate (--force)
            </label>
          )}
          <label>
            Timeout{' '}
            <input type="number" min={1} data-testid="drain-timeout" value={timeout} onChange={(e) => setTimeoutSeconds(Math.max(1, Number(e.target.value)))} /> seconds
          </label>
        </div>
      )}
      {gate.reason && <div className="tone-warn" data-testid="drain-refused">{gate.reason}</div>}
      <div className="drain-actions">
        {active ? (
          <button type="button" data-testid="drain-stop" onClick={run.stop}>
            Stop
          </button>
        ) : (
          <button
            type="button"
            className="danger"
            data-testid="drain-start"
            disabled={!gate.allowed || !nodeObject || blocked.length > 0}
            title={blocked.length > 0 ? 'Some pods need your consent first' : gate.reason}
            onClick={start}
          >
            {run ? 'Drain again' : 'Cordon and drain'}
          </button>
        )}
        {!active && blocked.length > 0 && <span className="tone-warn">{blocked.length} pod(s) need your consent first.</span>}
      </div>
      <PodTable rows={run ? run.progress.pods : plan} planned={!run} />
    </section>
  );
}

/** The plan (before a drain) or the drain's per-pod progress. */
function PodTable({ rows, planned }: { rows: (PlannedPod & Partial<PodProgress>)[]; planned: boolean }) {
  return (
    <table className="simple" data-testid="drain-pods">
      <thead>
        <tr>
          <th>Pod</th>
          <th>{planned ? 'Plan' : 'State'}</th>
          <th>Why</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p) => (
          <tr key={p.uid} data-testid={`drain-pod-${p.namespace}/${p.name}`} data-state={p.state ?? p.action}>
            <td>{`${p.namespace}/${p.name}`}</td>
            <td className={p.state === 'failed' || (p.state ?? p.action) === 'blocked' ? 'tone-bad' : p.state === 'retrying' ? 'tone-warn' : p.state === 'gone' ? 'tone-ok' : undefined}>
              {planned ? p.action : p.state}
            </td>
            <td data-testid="drain-pod-message">{p.message ?? p.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
