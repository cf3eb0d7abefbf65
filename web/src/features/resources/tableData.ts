import type { KubeObject } from '../../api/kube';

/** A column of a Kubernetes Table (meta.k8s.io/v1). */
export interface ColumnDefinition {
  name: string;
  type: string;
  format?: string;
  priority?: number;
  description?: string;
}

/** The Table answer of the resource API (`?as=Table`, includeObject=Metadata). */
export interface KubeTable {
  kind: 'Table';
  columnDefinitions: ColumnDefinition[];
  rows: { cells: unknown[]; object?: Partial<KubeObject> }[];
}

export interface TableRow {
  cells: unknown[];
  resourceVersion?: string;
}

/** The server-printed cells of one watch's objects, keyed like the watch (`namespace/name`). */
export interface TableData {
  columns: ColumnDefinition[];
  rows: ReadonlyMap<string, TableRow>;
}

export function toTableData(table: KubeTable): TableData {
  const rows = new Map<string, TableRow>();
  for (const row of table.rows) {
    const m = row.object?.metadata;
    if (m?.name) rows.set(`${m.namespace ?? ''}/${m.name}`, { cells: row.cells, resourceVersion: m.resourceVersion });
  }
  return { columns: table.columnDefinitions, rows };
}

/** The same data with the rows of `fresh` (Tables of one or more objects, in order) replaced. */
export function withRows(data: TableData, ...fresh: KubeTable[]): TableData {
  const rows = new Map(data.rows);
  for (const table of fresh) for (const [key, row] of toTableData(table).rows) rows.set(key, row);
  return { ...data, rows };
}
