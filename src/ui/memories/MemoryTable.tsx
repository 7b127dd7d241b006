import type { ReactTable, Row } from '@tanstack/react-table';
import { constructRow, useTable } from '@tanstack/react-table';
import type { SortingState, Updater } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { CSSProperties, KeyboardEvent } from 'react';
import { memo, useCallback, useEffect, useMemo, useRef } from 'react';

import { isMemoryColumnId } from '../../core/filter';
import type { MemorySort } from '../../core/filter';
import type { MemoryRecord } from '../../store/db/records';
import { askColumns, memoryColumns, memoryTableFeatures } from './columns';
import { useTableContext } from './tableContext';
import './memoryTable.css';

type MemoryTableInstance = ReactTable<typeof memoryTableFeatures, MemoryRecord>;
type MemoryRow = Row<typeof memoryTableFeatures, MemoryRecord>;

const rowHeight = 40;

interface MemoryTableProps {
  /** Already filtered and sorted by the memory index. */
  rows: readonly MemoryRecord[];
  /** Rows ranked for the Ask box's question: a rank column comes first. */
  ranked?: boolean;
  sort: MemorySort | null;
  onSortChange: (sort: MemorySort | null) => void;
  activeIndex: number;
  openId: string | null;
  onActivate: (index: number) => void;
  onOpen: (id: string) => void;
}

const getRowId = (memory: MemoryRecord) => memory.id;

/**
 * The table's own row model stays empty: filtering and sorting happen in the memory index, and
 * building a TanStack `Row` for each of up to 100,000 results on every filter change cost more
 * than the query itself. `TableBody` builds rows only for the slice the virtualizer draws.
 */
const noData: MemoryRecord[] = [];

export const MemoryTable = memo(function MemoryTable({
  rows,
  ranked = false,
  sort,
  onSortChange,
  activeIndex,
  openId,
  onActivate,
  onOpen,
}: MemoryTableProps) {
  const sorting = useMemo<SortingState>(
    () => (sort ? [{ id: sort.column, desc: sort.desc }] : []),
    [sort],
  );
  const onSortingChange = useCallback(
    (updater: Updater<SortingState>) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const first = next[0];
      onSortChange(
        first && isMemoryColumnId(first.id) ? { column: first.id, desc: first.desc } : null,
      );
    },
    [sorting, onSortChange],
  );

  const table = useTable({
    features: memoryTableFeatures,
    columns: ranked ? askColumns : memoryColumns,
    data: noData,
    getRowId,
    state: { sorting },
    onSortingChange,
    manualSorting: true,
    sortDescFirst: false,
    enableMultiSort: false,
    columnResizeMode: 'onChange',
  });

  // Column widths (and the table's) as CSS variables, computed once per sizing change rather than
  // per cell; memoryTable.css gives each column's cells their variable.
  const columnSizing = table.state.columnSizing;
  const columnVars = useMemo(() => {
    void columnSizing;
    const vars: Record<string, string> = {};
    for (const header of table.getFlatHeaders()) {
      vars[`--col-${header.column.id}`] = `${header.getSize()}px`;
    }
    vars['--table-width'] = `${table.getTotalSize()}px`;
    return vars as CSSProperties;
  }, [table, columnSizing]);

  return (
    <div className="table-wrap" data-testid="memory-table-scroll">
      <table
        className="memory-table"
        aria-label="Memories"
        aria-rowcount={rows.length + 1}
        style={columnVars}
      >
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={1}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className={`col-${header.column.id}`}
                    aria-sort={
                      sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined
                    }
                  >
                    {header.column.getCanSort() ? (
                      <button
                        type="button"
                        className="sort-button"
                        onClick={header.column.getToggleSortingHandler()}
                      >
                        <table.FlexRender header={header} />
                        {sorted && (
                          <span className="sort-indicator" aria-hidden="true">
                            {sorted === 'asc' ? '▲' : '▼'}
                          </span>
                        )}
                      </button>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                    {header.column.getCanResize() && (
                      <span
                        className={`resizer${header.column.getIsResizing() ? ' resizing' : ''}`}
                        onMouseDown={header.getResizeHandler()}
                        onTouchStart={header.getResizeHandler()}
                        onDoubleClick={() => header.column.resetSize()}
                        role="separator"
                        aria-orientation="vertical"
                        aria-label={`Resize ${header.column.id} column`}
                      />
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <TableBody
          table={table}
          memories={rows}
          activeIndex={activeIndex}
          openId={openId}
          onActivate={onActivate}
          onOpen={onOpen}
        />
      </table>
    </div>
  );
});

interface TableBodyProps {
  table: MemoryTableInstance;
  memories: readonly MemoryRecord[];
  activeIndex: number;
  openId: string | null;
  onActivate: (index: number) => void;
  onOpen: (id: string) => void;
}

/** Rows built so far, per table instance (`useTable` returns a new one when its options change). */
const rowCaches = new WeakMap<MemoryTableInstance, WeakMap<MemoryRecord, MemoryRow>>();

/**
 * The `Row` for one drawn memory, built on demand and reused while scrolling keeps it at the same
 * position (an edit replaces the record, and so its row).
 */
function rowFor(table: MemoryTableInstance, memory: MemoryRecord, index: number): MemoryRow {
  let cache = rowCaches.get(table);
  if (!cache) {
    cache = new WeakMap();
    rowCaches.set(table, cache);
  }
  const cached = cache.get(memory);
  if (cached && cached.index === index) return cached;
  const row = constructRow(table, table.getRowId(memory, index), memory, index, 0);
  cache.set(memory, row);
  return row;
}

/** The lowest component that knows the scroll position: only it re-renders while scrolling. */
function TableBody({ table, memories, activeIndex, openId, onActivate, onOpen }: TableBodyProps) {
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const { provisional, selected } = useTableContext();
  // Kept in this leaf component, as TanStack's docs advise, so scrolling re-renders only the body.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: memories.length,
    getScrollElement: () => bodyRef.current?.closest('.table-wrap') ?? null,
    estimateSize: () => rowHeight,
    // No getItemKey: rows are never measured (fixed height), so the virtualizer's index keys are
    // enough, and its pass over all rows then reruns only when the row count changes.
    overscan: 6,
  });

  // Keyboard moves (j/k) scroll the active row into view and keep focus on it.
  useEffect(() => {
    if (activeIndex < 0 || activeIndex >= memories.length) return;
    virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
    const focusInside = bodyRef.current?.contains(document.activeElement) ?? false;
    if (!focusInside) return;
    requestAnimationFrame(() => {
      const row = bodyRef.current?.querySelector<HTMLElement>(`tr[data-index="${activeIndex}"]`);
      row?.focus({ preventScroll: true });
    });
  }, [activeIndex, memories.length, virtualizer]);

  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, index: number, id: string) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      onActivate(index);
      onOpen(id);
    }
  };

  const items = virtualizer.getVirtualItems();
  // Rows flow under one top padding rather than each carrying its own `translateY`: Chromium's
  // style recalculation slows with every distinct inline style value it has seen until the next
  // garbage collection, and dragging the scrollbar gave each frame a few dozen new ones.
  const offset = items[0]?.start ?? 0;
  return (
    <tbody
      ref={bodyRef}
      style={
        {
          '--body-height': `${virtualizer.getTotalSize()}px`,
          '--body-offset': `${offset}px`,
        } as CSSProperties
      }
    >
      {items.map((item) => {
        const memory = memories[item.index];
        if (!memory) return null;
        const row = rowFor(table, memory, item.index);
        const classes = ['memory-row'];
        if (item.index === activeIndex) classes.push('active');
        if (row.id === openId) classes.push('open');
        if (provisional.has(row.id)) classes.push('provisional');
        return (
          <tr
            // Keyed by slot, not by memory: any run of `items.length` consecutive indexes has each
            // remainder once, so a filter change or a scrollbar jump updates the same row elements
            // in place instead of removing them all and creating new ones (~10 % less work).
            key={item.index % items.length}
            data-index={item.index}
            data-memory-id={row.id}
            aria-rowindex={item.index + 2}
            aria-selected={selected.has(row.id)}
            className={classes.join(' ')}
            // Roving focus: one row is in the tab order, j/k and arrows move it.
            tabIndex={item.index === Math.max(activeIndex, 0) ? 0 : -1}
            onClick={() => {
              onActivate(item.index);
              if (!provisional.has(row.id)) onOpen(row.id);
            }}
            onKeyDown={(event) => onKeyDown(event, item.index, row.id)}
          >
            {row.getAllCells().map((cell) => (
              <td
                key={cell.column.id}
                className={
                  cell.column.id === 'select' ? 'col-select cell-select' : `col-${cell.column.id}`
                }
              >
                <table.FlexRender cell={cell} />
              </td>
            ))}
          </tr>
        );
      })}
    </tbody>
  );
}
