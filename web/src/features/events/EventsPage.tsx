import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { objectPath } from '../../app/routes';
import { Empty, ErrorMessage, Loading } from '../../components/States';
import { useKindIndex } from '../details/useKindIndex';
import { formatAge } from '../resources/columns';
import { useNow } from '../resources/useNow';
import { useResourceWatch } from '../resources/useResourceWatch';
import { groupEvents, eventTime, isWarning, type EventGroup, type KubeEvent } from './groupEvents';
import './events.css';

const eventsGvr = { group: '', version: 'v1', resource: 'events' };
const shownGroups = 200;

/** Every event of the selected namespaces (all when none), live, grouped by involved object, warnings first. */
export function EventsPage({ cluster, namespaces }: { cluster: string; namespaces: string[] }) {
  const watches = (namespaces.length === 0 ? [undefined] : namespaces).map((namespace) => ({ cluster, ...eventsGvr, ...(namespace ? { namespace } : {}) }));
  const states = useResourceWatch(watches);
  const [warningsOnly, setWarningsOnly] = useState(false);
  const [text, setText] = useState('');
  const now = useNow(5000);
  const all = useMemo(() => states.flatMap((s) => [...s.objects.values()] as KubeEvent[]), [states]);
  const groups = useMemo(() => groupEvents(all, { warningsOnly, text }), [all, warningsOnly, text]);
  const failed = states.find((s) => s.error);
  return (
    <section className="events-page" data-testid="events-page">
      <header className="events-header">
        <h1>Events</h1>
        <span className="muted">{namespaces.length === 0 ? 'all namespaces' : namespaces.join(', ')}</span>
        <input placeholder="Filter reason, message, object" data-testid="events-filter" value={text} onChange={(e) => setText(e.target.value)} />
        <label>
          <input type="checkbox" data-testid="events-warnings-only" checked={warningsOnly} onChange={(e) => setWarningsOnly(e.target.checked)} /> Warnings only
        </label>
        <span className="muted" data-testid="events-count">{`${all.filter(isWarning).length} warnings, ${all.length} events`}</span>
      </header>
      {failed?.error && <ErrorMessage error={new Error(failed.error.message)} />}
      {!states.every((s) => s.synced) ? (
        <Loading label="Loading events…" />
      ) : groups.length === 0 ? (
        <Empty>No events{warningsOnly || text ? ' match' : ''}.</Empty>
      ) : (
        <div className="event-groups">
          {groups.slice(0, shownGroups).map((g) => (
            <Group key={g.key} cluster={cluster} group={g} now={now} />
          ))}
          {groups.length > shownGroups && <div className="muted">{`${groups.length - shownGroups} more objects with events: narrow the filter or the namespaces.`}</div>}
        </div>
      )}
    </section>
  );
}

function Group({ cluster, group, now }: { cluster: string; group: EventGroup; now: number }) {
  const kindIndex = useKindIndex(cluster);
  const target = kindIndex(group.apiVersion, group.kind);
  const label = `${group.kind} ${group.namespace ? `${group.namespace}/` : ''}${group.name}`;
  return (
    <section className={group.warnings > 0 ? 'event-group warn' : 'event-group'} data-testid={`event-group-${group.key}`} data-warnings={group.warnings}>
      <h2>
        {target ? <Link to={objectPath(cluster, target, target.namespaced ? group.namespace : undefined, group.name)}>{label}</Link> : label}
        {group.warnings > 0 && <span className="tone-warn">{` · ${group.warnings} warning${group.warnings > 1 ? 's' : ''}`}</span>}
      </h2>
      <table className="simple">
        <tbody>
          {group.events.map((e) => (
            <tr key={`${e.metadata.namespace}/${e.metadata.name}`} data-testid={`event-${e.metadata.name}`} data-type={e.type}>
              <td className={isWarning(e) ? 'tone-warn' : undefined}>{e.type}</td>
              <td>{e.reason}</td>
              <td>{formatAge(eventTime(e), now)}</td>
              <td>{e.count && e.count > 1 ? `×${e.count}` : ''}</td>
              <td>{e.message}</td>
              <td className="muted">{e.source?.component ?? e.reportingComponent}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
