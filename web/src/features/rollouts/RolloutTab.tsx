import type { ObjectContext } from '../details/tabs';
import { useGate } from '../actions/useCan';
import { useResourceWatch } from '../resources/useResourceWatch';
import { RevisionHistory } from './RevisionHistory';
import { RolloutProgress } from './RolloutProgress';
import { workloadKindOf } from './workloadKind';
import './rollouts.css';

/** A Deployment's, StatefulSet's or DaemonSet's rollout: live progress, then its revision history. */
export function RolloutTab({ cluster, gvr, object }: ObjectContext) {
  const kind = workloadKindOf(gvr)!;
  const { namespace, name } = object.metadata;
  const gate = useGate(cluster, { verb: 'patch', group: gvr.group, resource: gvr.resource, namespace, name });
  const [sources] = useResourceWatch([
    { cluster, group: 'apps', version: 'v1', resource: kind === 'Deployment' ? 'replicasets' : 'controllerrevisions', namespace },
  ]);
  return (
    <div className="rollout-tab" data-testid="rollout-tab">
      <RolloutProgress kind={kind} object={object} />
      {gate.reason && (
        <div className="tone-warn rollout-refused" data-testid="rollout-refused">
          {gate.reason}
        </div>
      )}
      <RevisionHistory cluster={cluster} gvr={gvr} kind={kind} workload={object} sources={sources} gate={gate} />
    </div>
  );
}
