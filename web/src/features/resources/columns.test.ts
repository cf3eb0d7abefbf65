import { describe, expect, it } from 'vitest';
import { columnsFor, filterRows, formatAge, sortRows, toneOf, type ListRow } from './columns';
import type { TableData } from './tableData';

const row = (name: string, cells: unknown[], created = '2026-01-01T00:00:00Z', ns = 'a'): ListRow => ({
  key: `${ns}/${name}`,
  object: { metadata: { name, namespace: ns, creationTimestamp: created } },
  printed: { cells },
  stale: false,
  source: 0,
});

const table: TableData = {
  columns: [
    { name: 'Name', type: 'string' },
    { name: 'Ready', type: 'string' },
    { name: 'Status', type: 'string' },
    { name: 'Restarts', type: 'integer' },
    { name: 'Age', type: 'string' },
    { name: 'IP', type: 'string', priority: 1 },
  ],
  rows: new Map(),
};

describe('columns', () => {
  it('columnsFor_Table_NamePlusPriorityZeroColumnsWithComputedAge', () => {
    expect(columnsFor(table, true).map((c) => `${c.title}:${c.kind}`)).toEqual(['Name:name', 'Namespace:namespace', 'Ready:ready', 'Status:status', 'Restarts:text', 'Age:age']);
    expect(columnsFor(null, false).map((c) => c.title)).toEqual(['Name', 'Status', 'Age']);
    const crdDefault: TableData = { columns: [{ name: 'Name', type: 'string' }, { name: 'Created At', type: 'date' }], rows: new Map() };
    expect(columnsFor(crdDefault, false).map((c) => `${c.title}:${c.kind}`)).toEqual(['Name:name', 'Age:age']);
  });

  it('sortRows_NumericColumnNumericallyAndAgeByCreation', () => {
    const cols = columnsFor(table, false);
    const rows = [row('a', ['a', '1/1', 'Running', 10]), row('b', ['b', '1/1', 'Running', 9], '2026-02-01T00:00:00Z'), row('c', ['c', '0/1', 'Pending', 100])];
    expect(sortRows(rows, cols.find((c) => c.title === 'Restarts')!, false).map((r) => r.object.metadata.name)).toEqual(['b', 'a', 'c']);
    expect(sortRows(rows, cols.find((c) => c.title === 'Age')!, false).map((r) => r.object.metadata.name)).toEqual(['b', 'a', 'c']);
    expect(sortRows(rows, cols[0], true).map((r) => r.object.metadata.name)).toEqual(['c', 'b', 'a']);
  });

  it('filterRows_MatchesNameNamespaceOrCell', () => {
    const rows = [row('web-1', ['web-1', 'CrashLoopBackOff']), row('api', ['api', 'Running'], undefined, 'team-b')];
    expect(filterRows(rows, 'crash').map((r) => r.key)).toEqual(['a/web-1']);
    expect(filterRows(rows, 'TEAM-B').map((r) => r.key)).toEqual(['team-b/api']);
    expect(filterRows(rows, ' ')).toHaveLength(2);
  });

  it('toneOf_StatusAndReady', () => {
    expect(toneOf('status', 'Running')).toBe('ok');
    expect(toneOf('status', 'CrashLoopBackOff')).toBe('bad');
    expect(toneOf('status', 'ContainerCreating')).toBe('warn');
    expect(toneOf('ready', '1/2')).toBe('warn');
    expect(toneOf('ready', '2/2')).toBe('ok');
    expect(toneOf('text', 'Failed')).toBeUndefined();
  });

  it('formatAge_LikeKubectl', () => {
    const t = Date.parse('2026-01-01T00:00:00Z');
    expect(formatAge(t, t + 45_000)).toBe('45s');
    expect(formatAge(t, t + 12 * 60_000)).toBe('12m');
    expect(formatAge(t, t + (3 * 60 + 4) * 60_000)).toBe('3h4m');
    expect(formatAge(t, t + 5 * 86_400_000)).toBe('5d');
  });
});
