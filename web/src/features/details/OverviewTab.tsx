import { Link } from 'react-router';
import { objectPath } from '../../app/routes';
import { formatAge, toneOf } from '../resources/columns';
import { useNow } from '../resources/useNow';
import { OwnedObjects } from './OwnedObjects';
import type { ObjectContext } from './tabs';
import { useKindIndex } from './useKindIndex';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** Conditions where True is the bad news. */
const troubleConditions = new Set(['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable', 'Failed', 'ReplicaFailure', 'Stalled']);

function conditionTone(c: Condition): string {
  if (c.status !== 'True' && c.status !== 'False') return 'tone-bad';
  return (c.status === 'True') !== troubleConditions.has(c.type) ? 'tone-ok' : 'tone-warn';
}

const scalar = (v: unknown): v is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof v);

/** Metadata, labels, annotations, owners and owned objects, status fields and conditions. */
export function OverviewTab({ cluster, gvr, object }: ObjectContext) {
  const now = useNow(1000);
  const kindIndex = useKindIndex(cluster);
  const m = object.metadata;
  const status = object.status ?? {};
  const conditions = (status.conditions as Condition[] | undefined) ?? [];
  const statusFields = Object.entries(status).filter(([, v]) => scalar(v));
  const created = Date.parse(m.creationTimestamp ?? '');
  return (
    <div data-testid="overview">
      <dl className="kv">
        <dt>Name</dt>
        <dd>{m.name}</dd>
        {m.namespace && (
          <>
            <dt>Namespace</dt>
            <dd>{m.namespace}</dd>
          </>
        )}
        <dt>Created</dt>
        <dd title={m.creationTimestamp}>{Number.isNaN(created) ? '' : `${formatAge(created, now)} ago (${m.creationTimestamp})`}</dd>
        {m.deletionTimestamp && (
          <>
            <dt>Deleting since</dt>
            <dd className="tone-warn">{m.deletionTimestamp}</dd>
          </>
        )}
        <dt>UID</dt>
        <dd className="mono">{m.uid}</dd>
        <dt>Labels</dt>
        <dd className="chips">{Object.entries(m.labels ?? {}).map(([k, v]) => <span key={k} className="chip">{`${k}=${v}`}</span>)}</dd>
        <dt>Annotations</dt>
        <dd className="chips">
          {Object.entries(m.annotations ?? {})
            .filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration')
            .map(([k, v]) => <span key={k} className="chip" title={v}>{`${k}=${v.length > 60 ? `${v.slice(0, 60)}…` : v}`}</span>)}
        </dd>
        {(m.ownerReferences ?? []).length > 0 && (
          <>
            <dt>Owners</dt>
            <dd data-testid="owners">
              {m.ownerReferences!.map((o) => {
                const target = kindIndex(o.apiVersion, o.kind);
                const label = `${o.kind} ${o.name}`;
                return (
                  <div key={o.uid}>
                    {target ? <Link to={objectPath(cluster, target, target.namespaced ? m.namespace : undefined, o.name)}>{label}</Link> : label}
                    {o.controller ? ' (controller)' : ''}
                  </div>
                );
              })}
            </dd>
          </>
        )}
        {statusFields.map(([k, v]) => (
          <FieldRow key={k} name={k} value={String(v)} />
        ))}
      </dl>
      <OwnedObjects cluster={cluster} gvr={gvr} object={object} />
      {conditions.length > 0 && (
        <>
          <h2 className="section-title">Conditions</h2>
          <table className="simple" data-testid="conditions">
            <thead>
              <tr>
                <th>Type</th>
                <th>Status</th>
                <th>Reason</th>
                <th>Message</th>
                <th>Since</th>
              </tr>
            </thead>
            <tbody>
              {conditions.map((c) => (
                <tr key={c.type}>
                  <td>{c.type}</td>
                  <td className={conditionTone(c)}>{c.status}</td>
                  <td>{c.reason}</td>
                  <td>{c.message}</td>
                  <td>{c.lastTransitionTime ? formatAge(Date.parse(c.lastTransitionTime), now) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

function FieldRow({ name, value }: { name: string; value: string }) {
  const tone = toneOf(name === 'phase' ? 'status' : 'text', value);
  return (
    <>
      <dt>{name}</dt>
      <dd className={tone ? `tone-${tone}` : undefined}>{value}</dd>
    </>
  );
}
