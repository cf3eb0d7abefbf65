import { useMemo } from 'react';
import { Empty, ErrorMessage, Loading } from '../../components/States';
import { formatAge } from '../resources/columns';
import { useNow } from '../resources/useNow';
import { useResourceWatch } from '../resources/useResourceWatch';
import { eventTime as when, type KubeEvent } from '../events/groupEvents';
import type { ObjectContext } from './tabs';

/** Events whose involvedObject is this object (by uid), live, newest first. */
export function EventsTab({ cluster, object }: ObjectContext) {
  const now = useNow(5000);
  const [watch] = useResourceWatch([
    {
      cluster,
      group: '',
      version: 'v1',
      resource: 'events',
      ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
      fieldSelector: `involvedObject.uid=${object.metadata.uid}`,
    },
  ]);
  const events = useMemo(() => ([...watch.objects.values()] as KubeEvent[]).sort((a, b) => when(b) - when(a)), [watch.objects]);
  if (!watch.synced) return <Loading label="Loading events…" />;
  if (watch.error) return <ErrorMessage error={new Error(watch.error.message)} />;
  if (events.length === 0) return <Empty>No events for this object.</Empty>;
  return (
    <table className="simple" data-testid="events">
      <thead>
        <tr>
          <th>Type</th>
          <th>Reason</th>
          <th>Age</th>
          <th>Count</th>
          <th>Message</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.metadata.name} data-testid={`event-${e.metadata.name}`} data-type={e.type}>
            <td className={e.type === 'Warning' ? 'tone-warn' : undefined}>{e.type}</td>
            <td>{e.reason}</td>
            <td>{formatAge(when(e), now)}</td>
            <td>{e.count ?? 1}</td>
            <td>{e.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
