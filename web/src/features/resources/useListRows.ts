import type { Gvr } from '../../app/routes';
import type { WatchSubscription } from '../../hub';
import { useListMemo } from '../../components/useListMemo';
import type { ListRow } from './columns';
import { useResourceWatch } from './useResourceWatch';
import { useTables } from './useTables';

/** The watches behind a list: one per selected namespace, one for all namespaces or a cluster-scoped kind. */
export function watchesFor(cluster: string, gvr: Gvr, namespaced: boolean, namespaces: readonly string[], labelSelector: string): WatchSubscription[] {
  const base = { cluster, group: gvr.group, version: gvr.version, resource: gvr.resource, ...(labelSelector ? { labelSelector } : {}) };
  return namespaced && namespaces.length > 0 ? namespaces.map((namespace) => ({ ...base, namespace })) : [base];
}

/** Live rows (watch objects joined with their printed Table cells) and the state of each source. */
export function useListRows(watches: WatchSubscription[]) {
  const states = useResourceWatch(watches);
  const tables = useTables(watches);
  const tableData = tables.map((t) => t.data);
  const rows = useListMemo([...states.map((s) => s.objects), ...tableData], () => {
    const out: ListRow[] = [];
    states.forEach((state, source) => {
      const printedRows = tableData[source]?.rows;
      for (const [key, object] of state.objects) {
        const printed = printedRows?.get(key);
        const stale = !!tableData[source] && printed?.resourceVersion !== object.metadata.resourceVersion;
        out.push({ key, object, printed, stale, source });
      }
    });
    return out;
  });
  return {
    rows,
    table: tableData.find((t) => t !== undefined),
    tablesPending: tables.some((t) => t.isPending),
    synced: states.every((s) => s.synced),
    /** Why a watch that has not delivered its objects yet cannot (the cluster is unreachable). */
    unreachable: states.find((s) => !s.synced && !s.reachable)?.message,
    errors: states.flatMap((s, i) => (s.error ? [{ namespace: watches[i].namespace, error: s.error }] : [])),
  };
}
