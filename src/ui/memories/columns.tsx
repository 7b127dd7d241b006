import { createColumnHelper, tableFeatures } from '@tanstack/react-table';
import {
  columnResizingFeature,
  columnSizingFeature,
  rowSortingFeature,
} from '@tanstack/react-table';

import type { MemoryRecord } from '../../store/db/records';
import { RankCell } from '../ask/RankCell';
import { formatDateTime } from '../common/format';
import { textDimensions, typeLabels } from '../common/labels';
import { ContentCell, ConversationCell, SelectCell } from './cells';

/**
 * Sorting is done by the memory index (src/core/filter), which keeps a sorted order per column;
 * the table only holds the sort state (manual sorting) and the column sizes.
 */
export const memoryTableFeatures = tableFeatures({
  rowSortingFeature,
  columnSizingFeature,
  columnResizingFeature,
});

const helper = createColumnHelper<typeof memoryTableFeatures, MemoryRecord>();

const text = (value: string) => (
  <span className="cell-text" title={value}>
    {value}
  </span>
);

export const selectColumnId = 'select';

/** Column definitions: stable (module scope), ids matching the index's sortable columns. */
export const memoryColumns = helper.columns([
  helper.display({
    id: selectColumnId,
    header: () => <span className="visually-hidden">Selected</span>,
    size: 40,
    enableSorting: false,
    enableResizing: false,
    cell: ({ row }) => <SelectCell memory={row.original} />,
  }),
  helper.accessor('content', {
    header: 'Content',
    size: 420,
    minSize: 160,
    cell: ({ row }) => <ContentCell memory={row.original} />,
  }),
  helper.accessor('memoryType', {
    header: 'Type',
    size: 96,
    minSize: 70,
    cell: ({ getValue }) => (
      <span className={`type-badge ${getValue()}`}>{typeLabels[getValue()]}</span>
    ),
  }),
  helper.accessor('time', {
    header: 'Time',
    size: 180,
    minSize: 80,
    cell: ({ getValue }) => text(getValue()),
  }),
  ...textDimensions.map(({ key, label, columnWidth }) =>
    helper.accessor(key, {
      header: label,
      size: columnWidth,
      cell: ({ getValue }) => text(getValue()),
    }),
  ),
  helper.accessor((memory) => memory.keywords.join(', '), {
    id: 'keywords',
    header: 'Keywords',
    size: 220,
    cell: ({ getValue }) => text(getValue()),
  }),
  helper.accessor('conversationId', {
    id: 'conversation',
    header: 'Conversation',
    size: 160,
    cell: ({ row }) => <ConversationCell memory={row.original} />,
  }),
  helper.accessor('messageTimestamp', {
    header: 'Message time',
    size: 170,
    cell: ({ getValue }) => text(formatDateTime(getValue())),
  }),
]);

/** While the Ask box ranks: the rank and why first, then the memory columns. */
export const askColumns = helper.columns([
  memoryColumns[0]!,
  helper.display({
    id: 'rank',
    header: 'Rank · why',
    size: 230,
    minSize: 60,
    enableSorting: false,
    cell: ({ row }) => <RankCell memory={row.original} />,
  }),
  ...memoryColumns.slice(1),
]);
