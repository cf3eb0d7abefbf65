import { NavLink } from 'react-router';
import { auditPath, createPath, eventsPath, listPath, type Gvr } from '../../app/routes';
import { ErrorMessage, Loading } from '../../components/States';
import { gvrOf, groupByCategory, kindTestId, sameGvr } from '../kinds/catalog';
import { useApiResources } from '../kinds/useApiResources';

/** Views (events; the audit log for admins), then kinds from discovery, grouped Workloads, Network, Config, Storage, Access control, Cluster, Custom resources. */
export function Sidebar({ cluster, current, namespaces, admin }: { cluster: string; current: Gvr | undefined; namespaces: string[]; admin: boolean }) {
  const resources = useApiResources(cluster);
  if (resources.isPending) return <Loading label="Discovering kinds…" />;
  if (resources.error) return <ErrorMessage error={resources.error} />;
  return (
    <nav className="sidebar" aria-label="Kinds" data-testid="sidebar">
      <section>
        <h2>Views</h2>
        <NavLink to={eventsPath(cluster, namespaces)} data-testid="nav-events-view">
          Events by object
        </NavLink>
        <NavLink to={createPath(cluster)} data-testid="nav-create">
          Create from YAML
        </NavLink>
        {admin && (
          <NavLink to={auditPath(cluster)} data-testid="nav-audit">
            Audit log
          </NavLink>
        )}
      </section>
      {groupByCategory(resources.data).map(([category, list]) => (
        <section key={category}>
          <h2>{category}</h2>
          {list.map((r) => {
            const gvr = gvrOf(r);
            return (
              <NavLink
                key={`${r.group}/${r.name}`}
                to={listPath(cluster, gvr, r.namespaced ? namespaces : [])}
                className={current && sameGvr(current, gvr) ? 'active' : undefined}
                data-testid={kindTestId(gvr)}
                title={r.group ? `${r.name}.${r.group}` : r.name}
              >
                {r.kind}
              </NavLink>
            );
          })}
        </section>
      ))}
    </nav>
  );
}
