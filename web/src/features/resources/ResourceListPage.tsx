import { useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { Gvr } from '../../app/routes';
import { Empty, ErrorMessage, Loading } from '../../components/States';
import { useApiResource } from '../kinds/useApiResources';
import { columnsFor, filterRows, sortRows } from './columns';
import { ResourceTable, type SortState } from './ResourceTable';
import { useListRows, watchesFor } from './useListRows';
import './ResourceListPage.css';

/**
 * The list of any kind: live rows, text filter (`?q=`) and label selector (`?labels=`) kept
 * in the URL so a list can be shared.
 */
export function ResourceListPage({ cluster, gvr, namespaces }: { cluster: string; gvr: Gvr; namespaces: string[] }) {
  const resource = useApiResource(cluster, gvr);
  const [params, setParams] = useSearchParams();
  const filter = params.get('q') ?? '';
  const labels = params.get('labels') ?? '';
  const [labelDraft, setLabelDraft] = useState(labels);
  const [sort, setSort] = useState<SortState>({ column: 'name', descending: false });
  const namespaced = resource?.namespaced ?? true;
  const namespacesKey = namespaces.join(',');
  const watches = useMemo(
    () => watchesFor(cluster, gvr, namespaced, namespacesKey ? namespacesKey.split(',') : [], labels),
    [cluster, gvr, namespaced, namespacesKey, labels],
  );
  const { rows, table, tablesPending, synced, unreachable, errors } = useListRows(watches);
  const showNamespace = namespaced && namespaces.length !== 1;
  const columns = useMemo(() => columnsFor(table, showNamespace), [table, showNamespace]);
  const sortColumn = columns.find((c) => c.id === sort.column) ?? columns[0];
  const shown = useMemo(() => sortRows(filterRows(rows, filter), sortColumn, sort.descending), [rows, filter, sortColumn, sort.descending]);

  const filterInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // "/" focuses the filter, as in many consoles (not while typing elsewhere).
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && (e.target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName));
      if (e.key === '/' && !typing) {
        e.preventDefault();
        filterInput.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  return (
    <section className="list-page">
      <div className="list-toolbar">
        <h1>{resource?.kind ?? gvr.resource}</h1>
        <span className="count" data-testid="list-count">
          {shown.length === rows.length ? rows.length : `${shown.length} of ${rows.length}`}
        </span>
        <input
          type="search"
          ref={filterInput}
          placeholder="Filter by name or column (/)"
          aria-label="Filter"
          data-testid="filter-input"
          value={filter}
          onChange={(e) => setParam('q', e.target.value)}
        />
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setParam('labels', labelDraft.trim());
          }}
        >
          <input
            placeholder="Label selector, e.g. app=web"
            aria-label="Label selector"
            data-testid="label-selector"
            value={labelDraft}
            onChange={(e) => setLabelDraft(e.target.value)}
          />
        </form>
      </div>
      {errors.map(({ namespace, error }) => (
        <ErrorMessage key={namespace ?? ''} error={new Error(`${namespace ? `${namespace}: ` : ''}${error.message}`)} />
      ))}
      {unreachable ? (
        <ErrorMessage error={new Error(`Cannot load ${gvr.resource}: ${unreachable}. Porthole keeps retrying.`)} />
      ) : !synced || tablesPending ? (
        <Loading label={`Loading ${resource?.kind ?? gvr.resource}…`} />
      ) : rows.length === 0 && errors.length === 0 ? (
        <Empty>
          No {gvr.resource}
          {labels ? ` matching ${labels}` : ''}
          {namespaced && namespaces.length > 0 ? ` in ${namespaces.join(', ')}` : ''}.
        </Empty>
      ) : (
        <ResourceTable cluster={cluster} gvr={gvr} columns={columns} rows={shown} watches={watches} sort={{ column: sortColumn.id, descending: sort.descending }} onSort={setSort} />
      )}
    </section>
  );
}
