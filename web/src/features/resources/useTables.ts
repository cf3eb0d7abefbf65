import { useQueries, type QueryClient } from '@tanstack/react-query';
import type { Gvr } from '../../app/routes';
import { kubePath, kubeUrl } from '../../api/kube';
import { request } from '../../api/http';
import type { WatchSubscription } from '../../hub';
import { toTableData, withRows, type KubeTable, type TableData } from './tableData';

const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io, application/json';

export const tableKey = (w: WatchSubscription) =>
  ['table', w.cluster, w.group, w.version, w.resource, w.namespace ?? '', w.labelSelector ?? ''] as const;

async function fetchTable(cluster: string, gvr: Gvr, namespace: string | undefined, name: string | undefined, labelSelector?: string): Promise<KubeTable | null> {
  const url = kubeUrl(cluster, kubePath(gvr, namespace, name), { as: 'Table', includeObject: 'Metadata', labelSelector });
  const answer = await request<KubeTable | { kind?: string }>(url, { accept: tableAccept });
  return answer && answer.kind === 'Table' ? (answer as KubeTable) : null;
}

/**
 * The server's Table for each watch (columns and printed cells), fetched once. A null entry
 * means the kind has no Table output: the list falls back to generic columns. Live changes
 * come from the watch; stale rows are refreshed one by one with {@link refreshRow}.
 */
export function useTables(watches: readonly WatchSubscription[]) {
  return useQueries({
    queries: watches.map((w) => ({
      queryKey: tableKey(w),
      queryFn: async (): Promise<TableData | null> => {
        const table = await fetchTable(w.cluster, w, w.namespace, undefined, w.labelSelector);
        return table ? toTableData(table) : null;
      },
      staleTime: Infinity,
      structuralSharing: false,
    })),
  });
}

/** Row versions already asked for (each is asked once; a refused or racing answer is not retried). */
const requested = new Set<string>();
const queue: (() => Promise<void>)[] = [];
let running = 0;
const maxParallel = 4;

function pump() {
  while (running < maxParallel && queue.length > 0) {
    const job = queue.shift()!;
    running++;
    void job().finally(() => {
      running--;
      pump();
    });
  }
}

/** Fetched rows wait here and are written once per 200 ms per table (each write re-derives the whole list). */
const fresh = new Map<string, { w: WatchSubscription; tables: KubeTable[] }>();
let flushTimer: ReturnType<typeof setTimeout> | null = null;

function queueRows(queryClient: QueryClient, w: WatchSubscription, table: KubeTable) {
  const id = JSON.stringify(tableKey(w));
  const entry = fresh.get(id) ?? { w, tables: [] };
  entry.tables.push(table);
  fresh.set(id, entry);
  flushTimer ??= setTimeout(() => {
    flushTimer = null;
    for (const { w: watch, tables } of fresh.values()) {
      queryClient.setQueryData<TableData | null>(tableKey(watch), (data) => (data ? withRows(data, ...tables) : data));
    }
    fresh.clear();
  }, 200);
}

/**
 * Re-requests the Table row of one object whose watched resourceVersion differs from its
 * printed row (only rows on screen ask), and writes it into the table cache in place (batched). At
 * most 4 such requests run at once; each object version is asked for once.
 */
export function refreshRow(queryClient: QueryClient, w: WatchSubscription, namespace: string | undefined, name: string, resourceVersion: string | undefined) {
  const id = `${JSON.stringify(tableKey(w))}|${namespace}/${name}@${resourceVersion}`;
  if (requested.has(id)) return;
  if (requested.size > 50_000) requested.clear();
  requested.add(id);
  queue.push(async () => {
    try {
      const table = await fetchTable(w.cluster, w, namespace, name);
      if (table) queueRows(queryClient, w, table);
    } catch {
      // Deleted meanwhile or not readable: the watch removes the row, or the old cells stay.
    }
  });
  pump();
}
