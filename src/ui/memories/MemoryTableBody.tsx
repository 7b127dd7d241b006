import type { ReactTable, Row } from '@tanstack/react-table';
import { constructRow } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { CSSProperties, KeyboardEvent } from 'react';
import { useEffect, useRef } from 'react';

import type { MemoryRecord } from '../../store/db/records';
import type { memoryTableFeatures } from './columns';
import { useTableContext } from './tableContext';

type MemoryTableInstance = ReactTable<typeof memoryTableFeatures, MemoryRecord>;
type MemoryRow = Row<typeof memoryTableFeatures, MemoryRecord>;

const rowHeight = 40;

/** The keyboard-active row and the open memory, handed from the Memories view to the rows. */
export interface RowNavigation {
  activeIndex: number;
  openId: string | null;
  onActivate: (index: number) => void;
  onOpen: (id: string) => void;
}

interface MemoryTableBodyProps extends RowNavigation {
  table: MemoryTableInstance;
  memories: readonly MemoryRecord[];
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
export function MemoryTableBody({
  table,
  memories,
  activeIndex,
  openId,
  onActivate,
  onOpen,
}: MemoryTableBodyProps) {
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
