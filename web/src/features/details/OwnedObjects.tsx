import { Link } from 'react-router';
import type { KubeObject } from '../../api/kube';
import { objectPath, type Gvr } from '../../app/routes';
import { useResourceWatch } from '../resources/useResourceWatch';

const pods: Gvr = { group: '', version: 'v1', resource: 'pods' };

/** The kinds a controller of each kind creates (by owner reference). */
const childKinds: Record<string, Gvr> = {
  'apps/deployments': { group: 'apps', version: 'v1', resource: 'replicasets' },
  'apps/replicasets': pods,
  'apps/statefulsets': pods,
  'apps/daemonsets': pods,
  'batch/jobs': pods,
  'batch/cronjobs': { group: 'batch', version: 'v1', resource: 'jobs' },
  '/replicationcontrollers': pods,
};

/** Objects owned by this one (ReplicaSets of a Deployment, Pods of a ReplicaSet...), live, as links. */
export function OwnedObjects({ cluster, gvr, object }: { cluster: string; gvr: Gvr; object: KubeObject }) {
  const child = childKinds[`${gvr.group}/${gvr.resource}`];
  if (!child || !object.metadata.namespace) return null;
  return <OwnedList cluster={cluster} child={child} namespace={object.metadata.namespace} uid={object.metadata.uid ?? ''} />;
}

function OwnedList({ cluster, child, namespace, uid }: { cluster: string; child: Gvr; namespace: string; uid: string }) {
  const [watch] = useResourceWatch([{ cluster, ...child, namespace }]);
  const owned = [...watch.objects.values()].filter((o) => o.metadata.ownerReferences?.some((r) => r.uid === uid));
  return (
    <>
      <h2 className="section-title">Owned {child.resource}</h2>
      <div data-testid="owned">
        {watch.error
          ? watch.error.message
          : owned.length === 0
            ? watch.synced ? 'None.' : 'Loading…'
            : owned.map((o) => (
                <div key={o.metadata.name}>
                  <Link to={objectPath(cluster, child, namespace, o.metadata.name)}>{o.metadata.name}</Link>
                </div>
              ))}
      </div>
    </>
  );
}
