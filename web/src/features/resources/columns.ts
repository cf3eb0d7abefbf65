import type { KubeObject } from '../../api/kube';
import type { ColumnDefinition, TableData, TableRow } from './tableData';

/** One column of the list: where its value comes from and how it sorts. */
export interface Column {
  id: string;
  title: string;
  /** The cell's value for sorting and filtering. */
  value: (row: ListRow) => string | number;
  kind: 'name' | 'namespace' | 'age' | 'status' | 'ready' | 'text';
  numeric?: boolean;
}

export interface ListRow {
  key: string;
  object: KubeObject;
  /** The server-printed cells, when known (possibly of an older version: see `stale`). */
  printed?: TableRow;
  stale: boolean;
  /** Which watch (and table) the row came from. */
  source: number;
}

const created = (r: ListRow) => Date.parse(r.object.metadata.creationTimestamp ?? '') || 0;
const statusNames = new Set(['status', 'phase']);

function fromDefinition(def: ColumnDefinition, index: number): Column {
  const lower = def.name.toLowerCase();
  // kubectl's Age, or the API server's default Table (kinds without printer columns): Created At.
  if (lower === 'age' || lower === 'created at') return { id: 'age', title: 'Age', kind: 'age', value: (r) => -created(r), numeric: true };
  const numeric = def.type === 'integer' || def.type === 'number';
  const kind = statusNames.has(lower) ? 'status' : lower === 'ready' ? 'ready' : 'text';
  return {
    id: `cell${index}`,
    title: def.name,
    kind,
    numeric,
    value: (r) => {
      const cell = r.printed?.cells[index];
      if (cell === undefined || cell === null) return numeric ? 0 : '';
      return numeric ? Number(cell) : String(cell);
    },
  };
}

const nameColumn: Column = { id: 'name', title: 'Name', kind: 'name', value: (r) => r.object.metadata.name };
const namespaceColumn: Column = { id: 'namespace', title: 'Namespace', kind: 'namespace', value: (r) => r.object.metadata.namespace ?? '' };
const ageColumn: Column = { id: 'age', title: 'Age', kind: 'age', value: (r) => -created(r), numeric: true };
const phaseColumn: Column = {
  id: 'phase',
  title: 'Status',
  kind: 'status',
  value: (r) => String((r.object.status as { phase?: string } | undefined)?.phase ?? ''),
};

/**
 * The list's columns: Name, Namespace (when several namespaces are shown), then the Table's
 * priority-0 columns (Age computed from creationTimestamp so it ticks), or, without a Table,
 * Status (status.phase) and Age.
 */
export function columnsFor(table: TableData | null | undefined, showNamespace: boolean): Column[] {
  const lead = showNamespace ? [nameColumn, namespaceColumn] : [nameColumn];
  if (!table) return [...lead, phaseColumn, ageColumn];
  const rest = table.columns
    .map((def, index) => ({ def, index }))
    .filter(({ def }) => (def.priority ?? 0) === 0 && def.name.toLowerCase() !== 'name')
    .map(({ def, index }) => fromDefinition(def, index));
  return [...lead, ...rest];
}

export type Tone = 'ok' | 'warn' | 'bad' | undefined;

const good = /^(running|succeeded|completed|complete|active|bound|ready|true|available|healthy|established)$/i;
const bad = /(fail|error|crashloop|backoff|errimage|notready|unknown|evicted|oomkilled|lost|false|invalid)/i;
const pending = /(pending|creating|terminating|init|waiting|progressing|released|suspended|schedulingdisabled)/i;

/** The colour of a status-like cell. */
export function toneOf(kind: Column['kind'], text: string): Tone {
  if (kind === 'ready') {
    const m = /^(\d+)\/(\d+)$/.exec(text);
    if (!m) return undefined;
    return m[1] === m[2] ? 'ok' : 'warn';
  }
  if (kind !== 'status' || !text) return undefined;
  if (bad.test(text)) return 'bad';
  if (pending.test(text)) return 'warn';
  return good.test(text) ? 'ok' : undefined;
}

/** A compact age like kubectl's: 45s, 12m, 3h4m, 5d, 2y. */
export function formatAge(from: number, now: number): string {
  const s = Math.max(0, Math.floor((now - from) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 && h < 10 ? `${h}h${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return d < 365 ? `${d}d` : `${Math.floor(d / 365)}y`;
}

/** Sorts rows by a column (stable; numbers numerically, text naturally); each value is computed once. */
export function sortRows(rows: ListRow[], column: Column, descending: boolean): ListRow[] {
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  const sign = descending ? -1 : 1;
  const keyed = rows.map((row) => ({ row, value: column.value(row) }));
  keyed.sort((a, b) => {
    const order = typeof a.value === 'number' && typeof b.value === 'number' ? a.value - b.value : collator.compare(String(a.value), String(b.value));
    return sign * order || (a.row.key < b.row.key ? -1 : a.row.key > b.row.key ? 1 : 0);
  });
  return keyed.map((k) => k.row);
}

/** Rows whose name, namespace or a printed cell contains `text` (case-insensitive). */
export function filterRows(rows: ListRow[], text: string): ListRow[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return rows;
  return rows.filter(
    (r) =>
      r.key.toLowerCase().includes(needle) ||
      (r.printed?.cells ?? []).some((c) => typeof c === 'string' && c.toLowerCase().includes(needle)),
  );
}
