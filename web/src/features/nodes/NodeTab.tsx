import { Link } from 'react-router';
import type { KubeObject } from '../../api/kube';
import { objectPath } from '../../app/routes';
import { ErrorMessage, Loading } from '../../components/States';
import type { ObjectContext } from '../details/tabs';
import { useResourceWatch } from '../resources/useResourceWatch';
import { formatBytes, formatCpu } from './quantity';
import { isActivePod, nodeResources, podAmount } from './nodeResources';
import './nodes.css';

const podsGvr = { group: '', version: 'v1', resource: 'pods' };

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

/** The pods bound to a node, live (every namespace). */
export function useNodePods(cluster: string, node: string) {
  const [watch] = useResourceWatch([{ cluster, ...podsGvr, fieldSelector: `spec.nodeName=${node}` }]);
  return watch;
}

/** A node's capacity, allocatable and requested resources, its taints and its pods, live. */
export function NodeTab({ cluster, object }: ObjectContext) {
  const pods = useNodePods(cluster, object.metadata.name);
  const taints = ((object.spec as { taints?: Taint[] } | undefined)?.taints ?? []);
  const list = [...pods.objects.values()].sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  if (pods.error) return <ErrorMessage error={new Error(pods.error.message)} />;
  if (!pods.synced) return <Loading label="Loading the node's pods…" />;
  return (
    <div className="node-tab">
      <h2 className="section-title">Resources</h2>
      <table className="simple" data-testid="node-resources">
        <thead>
          <tr>
            <th>Resource</th>
            <th>Capacity</th>
            <th>Allocatable</th>
            <th>Requested</th>
            <th>Limits</th>
          </tr>
        </thead>
        <tbody>
          {nodeResources(object, list).map((r) => (
            <tr key={r.resource} data-testid={`resource-${r.resource}`}>
              <td>{r.resource}</td>
              <td>{r.capacity}</td>
              <td>{r.allocatable}</td>
              <td data-testid="requested">
                {r.requested}
                {r.percent !== undefined && <span className={r.percent > 100 ? 'tone-bad' : 'muted'}>{` (${r.percent}%)`}</span>}
              </td>
              <td>{r.limits}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 className="section-title">Taints</h2>
      <div className="chips" data-testid="node-taints">
        {taints.length === 0 ? <span className="muted">None.</span> : taints.map((t) => <span key={`${t.key}:${t.effect}`} className="chip">{`${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`}</span>)}
      </div>
      <h2 className="section-title">Pods ({list.length})</h2>
      <table className="simple" data-testid="node-pods">
        <thead>
          <tr>
            <th>Pod</th>
            <th>Phase</th>
            <th>Controlled by</th>
            <th>CPU requested</th>
            <th>Memory requested</th>
          </tr>
        </thead>
        <tbody>
          {list.map((p) => (
            <PodRow key={`${p.metadata.namespace}/${p.metadata.name}`} cluster={cluster} pod={p} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PodRow({ cluster, pod }: { cluster: string; pod: KubeObject }) {
  const { namespace, name } = pod.metadata;
  const controller = pod.metadata.ownerReferences?.find((r) => r.controller);
  return (
    <tr data-testid={`node-pod-${namespace}/${name}`} className={isActivePod(pod) ? undefined : 'muted'}>
      <td>
        <Link to={objectPath(cluster, podsGvr, namespace, name)}>{`${namespace}/${name}`}</Link>
      </td>
      <td>{(pod.status as { phase?: string } | undefined)?.phase}</td>
      <td>{controller ? `${controller.kind} ${controller.name}` : <span className="muted">none</span>}</td>
      <td>{formatCpu(podAmount(pod, 'cpu', 'requests'))}</td>
      <td>{formatBytes(podAmount(pod, 'memory', 'requests'))}</td>
    </tr>
  );
}
