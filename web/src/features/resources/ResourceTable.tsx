import { useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { objectPath, type Gvr } from '../../app/routes';
import type { WatchSubscription } from '../../hub';
import { formatAge, toneOf, type Column, type ListRow } from './columns';
import { refreshRow } from './useTables';
import { useNow } from './useNow';
import './ResourceTable.css';

const rowHeight = 30;

export interface SortState {
  column: string;
  descending: boolean;
}

interface Props {
  cluster: string;
  gvr: Gvr;
  columns: Column[];
  rows: ListRow[];
  watches: WatchSubscription[];
  sort: SortState;
  onSort: (sort: SortState) => void;
}

/**
 * A virtualised table: only the rows on screen are in the DOM (smooth at 10,000 rows); React
 * sets inline styles through the CSSOM, which the CSP allows.
 * Keyboard: the table is focusable; ↑/↓/PgUp/PgDn/Home/End move, Enter opens.
 */
export function ResourceTable({ cluster, gvr, columns, rows, watches, sort, onSort }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  const now = useNow(1000);
  const [active, setActive] = useState(0);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => rowHeight, overscan: 15 });
  const template = columns.map((c) => (c.kind === 'name' ? 'minmax(220px, 2.5fr)' : c.kind === 'age' ? '80px' : 'minmax(90px, 1fr)')).join(' ');
  const open = (row: ListRow | undefined) => row && navigate(objectPath(cluster, gvr, row.object.metadata.namespace, row.object.metadata.name));

  const onKeyDown = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 300) / rowHeight) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -rows.length, End: rows.length };
    if (e.key === 'Enter') return open(rows[active]);
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = Math.min(rows.length - 1, Math.max(0, active + moves[e.key]));
    setActive(next);
    virtualizer.scrollToIndex(next);
  };

  return (
    <div className="rtable" role="grid" aria-rowcount={rows.length} data-testid="resource-table">
      <div className="rtable-head" role="row" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => (
          <button
            key={c.id}
            type="button"
            role="columnheader"
            className="rtable-th"
            aria-sort={sort.column === c.id ? (sort.descending ? 'descending' : 'ascending') : 'none'}
            onClick={() => onSort({ column: c.id, descending: sort.column === c.id ? !sort.descending : false })}
          >
            {c.title}
            {sort.column === c.id ? (sort.descending ? ' ▼' : ' ▲') : ''}
          </button>
        ))}
      </div>
      <div className="rtable-body" ref={scroller} tabIndex={0} onKeyDown={onKeyDown} aria-label="Rows">
        <div className="rtable-spacer" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => (
            <Row
              key={rows[item.index].key}
              cluster={cluster}
              gvr={gvr}
              row={rows[item.index]}
              watch={watches[rows[item.index].source]}
              columns={columns}
              template={template}
              top={item.start}
              now={now}
              active={item.index === active}
              onOpen={open}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

interface RowProps {
  cluster: string;
  gvr: Gvr;
  row: ListRow;
  watch: WatchSubscription;
  columns: Column[];
  template: string;
  top: number;
  now: number;
  active: boolean;
  onOpen: (row: ListRow) => void;
}

const Row = memo(function Row({ cluster, gvr, row, watch, columns, template, top, now, active, onOpen }: RowProps) {
  const queryClient = useQueryClient();
  const { namespace, name, resourceVersion, deletionTimestamp } = row.object.metadata;
  useEffect(() => {
    if (row.stale) refreshRow(queryClient, watch, namespace, name, resourceVersion);
  }, [row.stale, queryClient, watch, namespace, name, resourceVersion]);
  return (
    <div
      style={{ transform: `translateY(${top}px)`, gridTemplateColumns: template }}
      role="row"
      className={`rtable-row${active ? ' active' : ''}${deletionTimestamp ? ' deleting' : ''}`}
      data-testid={`row-${namespace ?? ''}/${name}`}
      onClick={() => onOpen(row)}
    >
      {columns.map((c) => (
        <Cell key={c.id} cluster={cluster} gvr={gvr} row={row} column={c} now={now} />
      ))}
    </div>
  );
});

function Cell({ cluster, gvr, row, column, now }: { cluster: string; gvr: Gvr; row: ListRow; column: Column; now: number }) {
  const m = row.object.metadata;
  if (column.kind === 'name') {
    return (
      <span role="gridcell" className="rtable-td name">
        <Link to={objectPath(cluster, gvr, m.namespace, m.name)} onClick={(e) => e.stopPropagation()} tabIndex={-1}>
          {m.name}
        </Link>
      </span>
    );
  }
  if (column.kind === 'age') {
    const created = Date.parse(m.creationTimestamp ?? '');
    return (
      <span role="gridcell" className="rtable-td" title={m.creationTimestamp}>
        {Number.isNaN(created) ? '' : formatAge(created, now)}
      </span>
    );
  }
  const text = m.deletionTimestamp && column.kind === 'status' ? 'Terminating' : String(column.value(row));
  const tone = toneOf(column.kind, text);
  return (
    <span role="gridcell" className={`rtable-td${tone ? ` tone-${tone}` : ''}${row.stale ? ' stale' : ''}`} title={text}>
      {text}
    </span>
  );
}
