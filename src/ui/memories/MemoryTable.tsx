import { useTable } from '@tanstack/react-table';
import type { SortingState, Updater } from '@tanstack/react-table';
import type { CSSProperties } from 'react';
import { memo, useCallback, useMemo } from 'react';

import { isMemoryColumnId } from '../../core/filter';
import type { MemorySort } from '../../core/filter';
import type { MemoryRecord } from '../../store/db/records';
import { askColumns, memoryColumns, memoryTableFeatures } from './columns';
import type { RowNavigation } from './MemoryTableBody';
import { MemoryTableBody } from './MemoryTableBody';
import './memoryTable.css';

interface MemoryTableProps extends RowNavigation {
  /** Already filtered and sorted by the memory index. */
  rows: readonly MemoryRecord[];
  /** Rows ranked for the Ask box's question: a rank column comes first. */
  ranked?: boolean;
  sort: MemorySort | null;
  onSortChange: (sort: MemorySort | null) => void;
}

const getRowId = (memory: MemoryRecord) => memory.id;

/**
 * The table's own row model stays empty: filtering and sorting happen in the memory index, and
 * building a TanStack `Row` for each of up to 100,000 results on every filter change cost more
 * than the query itself. `MemoryTableBody` builds rows only for the slice the virtualizer draws.
 */
const noData: MemoryRecord[] = [];

export const MemoryTable = memo(function MemoryTable({
  rows,
  ranked = false,
  sort,
  onSortChange,
  ...navigation
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
        <MemoryTableBody table={table} memories={rows} {...navigation} />
      </table>
    </div>
  );
});
