import { useQueries } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import type { Gvr } from '../../app/routes';
import { Empty, ErrorMessage, Loading } from '../../components/States';
import { ObjectActions } from '../actions/ObjectActions';
import { canQuery } from '../actions/useCan';
import { useApiResource } from '../kinds/useApiResources';
import { useResourceWatch } from '../resources/useResourceWatch';
import { tabsFor, type ObjectContext } from './tabs';
import './ObjectPage.css';

/** One object, live (a watch on its name): header with actions, then the kind's tabs (`?tab=`). */
export function ObjectPage({ cluster, gvr, namespace, name }: { cluster: string; gvr: Gvr; namespace: string | undefined; name: string }) {
  const resource = useApiResource(cluster, gvr);
  const [params, setParams] = useSearchParams();
  const [watch] = useResourceWatch([{ cluster, ...gvr, ...(namespace ? { namespace } : {}), fieldSelector: `metadata.name=${name}` }]);
  const object = [...watch.objects.values()][0];
  if (!watch.synced) return <Loading label={`Loading ${name}…`} />;
  if (watch.error) return <ErrorMessage error={new Error(watch.error.message)} />;
  if (!object) return <Empty>{`${resource?.kind ?? gvr.resource} ${namespace ? `${namespace}/` : ''}${name} does not exist (any more).`}</Empty>;

  const context = { cluster, gvr, object, kind: resource?.kind ?? object.kind ?? gvr.resource };
  return <ObjectView context={context} namespace={namespace} name={name} tab={params.get('tab')} onTab={(tab) => setParams(tab ? { tab } : {}, { replace: true })} />;
}

/** The loaded object: header, actions, and the tabs this user may use. */
function ObjectView({ context, namespace, name, tab, onTab }: { context: ObjectContext; namespace: string | undefined; name: string; tab: string | null; onTab: (tab: string | null) => void }) {
  const all = tabsFor(context);
  const gated = all.filter((t) => t.requires);
  const answers = useQueries({ queries: gated.map((t) => canQuery(context.cluster, t.requires!)) });
  const tabs = all.filter((t) => !t.requires || answers[gated.indexOf(t)]?.data?.allowed === true);
  const current = tabs.find((t) => t.id === tab) ?? tabs[0];
  return (
    <section className="object-page" data-testid="object-page">
      <header className="object-header">
        <div>
          <div className="object-kind">{context.kind}</div>
          <h1 data-testid="object-name">
            {namespace && <span className="object-ns">{namespace} / </span>}
            {name}
          </h1>
        </div>
        <ObjectActions {...context} />
      </header>
      <nav className="tabs" role="tablist">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={t.id === current.id}
            data-testid={`tab-${t.id}`}
            onClick={() => onTab(t.id === tabs[0].id ? null : t.id)}
          >
            {t.label}
          </button>
        ))}
      </nav>
      <div className="tab-body" role="tabpanel">
        {current.element}
      </div>
    </section>
  );
}
