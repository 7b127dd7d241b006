import { useCallback, useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';

import { hasActiveFilters } from '../../core/filter';
import type { MemorySort } from '../../core/filter';
import { useConversationsStore } from '../../store/conversations/conversationsStore';
import { useFilterStore } from '../../store/view/filterStore';
import { useMemoriesStore } from '../../store/memories/memoriesStore';
import type { MemoryRecord } from '../../store/db/records';
import { useViewStore } from '../../store/view/viewStore';
import { AskArea } from '../ask/AskArea';
import { AskRankContext } from '../ask/askRankContext';
import { NoAskMatch } from '../ask/NoAskMatch';
import { useAskedRows } from '../ask/useAskedRows';
import { formatCount } from '../common/format';
import { Timeline } from '../pictures/Timeline';
import { TypeCounts } from '../pictures/TypeCounts';
import { EmptyState } from '../shell/EmptyState';
import { isTypingTarget } from '../shell/useGlobalShortcuts';
import { DetailPanel } from './DetailPanel';
import { ExportMenu } from './ExportMenu';
import { FilterBar } from './FilterBar';
import { KeywordChips } from './KeywordChips';
import { MemoryTable } from './MemoryTable';
import { SelectionBar } from './SelectionBar';
import type { MemoryTableContext } from './tableContext';
import { TableContext } from './tableContext';
import { useMemoryQuery } from './useMemoryQuery';
import { ImportChatsButton } from '../shell/ImportChatsButton';
import './memories.css';
import { ViewSection } from '../common/ViewSection';

function focusRow(index: number) {
  const row = document.querySelector<HTMLElement>(`.memory-table tr[data-index="${index}"]`);
  row?.focus();
}

/** The memories table with its filters, pictures, bulk actions and detail panel. */
export default function MemoriesView() {
  const { memories, provisional, loaded } = useMemoriesStore(
    useShallow((state) => ({
      memories: state.memories,
      provisional: state.provisional,
      loaded: state.loaded,
    })),
  );
  const conversations = useConversationsStore((state) => state.conversations);
  const { filters, sort } = useFilterStore(
    useShallow((state) => ({ filters: state.filters, sort: state.sort })),
  );
  const setSort = useFilterStore((state) => state.setSort);
  const openMemoryId = useViewStore((state) => state.openMemoryId);
  const openMemory = useViewStore((state) => state.openMemory);

  const all = useMemo(
    () => (provisional.length === 0 ? memories : memories.concat(provisional)),
    [memories, provisional],
  );
  const provisionalIds = useMemo(
    () => new Set(provisional.map((memory) => memory.id)),
    [provisional],
  );
  const titles = useMemo(
    () => new Map(conversations.map((conversation) => [conversation.id, conversation.title])),
    [conversations],
  );
  // Queried in the same render as the filter change (no useDeferredValue): the index answers in a
  // few milliseconds, and a deferred pass cost a second render, often a frame, before the count.
  const { index, result } = useMemoryQuery(all, titles, filters, sort);
  // A question in the Ask box ranks the filtered rows: the table shows them best first.
  const asked = useAskedRows(result.rows);
  const rows = asked.ranking ? asked.rows : result.rows;

  const [activeIndex, setActiveIndex] = useState(-1);
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const toggleSelected = useCallback((id: string) => {
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);
  const tableContext = useMemo<MemoryTableContext>(
    () => ({ titles, provisional: provisionalIds, selected, toggleSelected }),
    [titles, provisionalIds, selected, toggleSelected],
  );

  // Deleted memories leave the selection.
  const liveSelected = useMemo(() => {
    const byId = useMemoriesStore.getState().byId;
    const kept = [...selected].filter((id) => byId.has(id));
    return kept.length === selected.size ? selected : new Set(kept);
  }, [selected, memories]); // eslint-disable-line react-hooks/exhaustive-deps

  const openMemoryRecord = openMemoryId === null ? undefined : index.get(openMemoryId);
  const related = useMemo(
    () => (openMemoryRecord ? index.related(openMemoryRecord.id, 8) : []),
    [index, openMemoryRecord],
  );
  const locations = useMemo(() => {
    void memories;
    return index.locationCounts(50);
  }, [index, memories]);

  const onSortChange = useCallback((next: MemorySort | null) => setSort(next), [setSort]);
  // Opening a memory (a row, a related memory) also makes its row the active one.
  const onOpen = useCallback(
    (id: string) => {
      openMemory(id);
      const at = rows.findIndex((row) => row.id === id);
      if (at !== -1) setActiveIndex(at);
    },
    [openMemory, rows],
  );

  const onLeaveSearch = useCallback(() => {
    const next = Math.max(0, activeIndex);
    if (rows.length === 0) return;
    setActiveIndex(next);
    requestAnimationFrame(() => focusRow(next));
  }, [activeIndex, rows.length]);
  const clearSelection = useCallback(() => setSelected(new Set()), []);

  // j/k (and arrows on a row) move through rows, Enter opens, x selects, Esc closes the panel.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
      if (isTypingTarget(event.target)) return;
      const onRow = event.target instanceof HTMLElement && event.target.matches('tr[data-index]');
      const down = event.key === 'j' || (onRow && event.key === 'ArrowDown');
      const up = event.key === 'k' || (onRow && event.key === 'ArrowUp');
      if (down || up) {
        if (rows.length === 0) return;
        event.preventDefault();
        const next =
          activeIndex < 0
            ? 0
            : Math.min(rows.length - 1, Math.max(0, activeIndex + (down ? 1 : -1)));
        setActiveIndex(next);
        focusRow(next);
        return;
      }
      if (event.key === 'Enter' && !onRow && activeIndex >= 0 && event.target === document.body) {
        const row = rows[activeIndex];
        if (row && !provisionalIds.has(row.id)) onOpen(row.id);
      } else if (event.key === 'x' && activeIndex >= 0) {
        const row = rows[activeIndex];
        if (row && !provisionalIds.has(row.id)) toggleSelected(row.id);
      } else if (event.key === 'Escape') {
        if (openMemoryId !== null) {
          event.preventDefault();
          openMemory(null);
          if (activeIndex >= 0) focusRow(activeIndex);
        } else if (selected.size > 0) {
          setSelected(new Set());
        }
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [
    rows,
    activeIndex,
    openMemoryId,
    openMemory,
    onOpen,
    provisionalIds,
    selected.size,
    toggleSelected,
  ]);

  if (loaded && all.length === 0) {
    return (
      <ViewSection title="Memories">
        <EmptyState title="No memories yet" actions={<ImportChatsButton />}>
          Import a ChatGPT or Claude export (or any chat log), run the model on it, and the memories
          it finds appear here, searchable and filterable.
        </EmptyState>
      </ViewSection>
    );
  }

  const filtered = hasActiveFilters(filters);
  return (
    <section className="view wide" aria-labelledby="memories-title">
      <div className="row mb-10">
        <h2 className="view-title flush" id="memories-title">
          Memories
        </h2>
      </div>
      <div className={`memories-layout${openMemoryRecord ? ' with-panel' : ''}`}>
        <div className="memories-main">
          <AskArea view={asked} filteredCount={result.rows.length} />
          <FilterBar
            typeCounts={result.typeCounts}
            conversations={conversations}
            locations={locations}
            onLeaveSearch={onLeaveSearch}
          />
          <KeywordChips facets={result.keywordFacets} />
          <div className="pictures">
            <Timeline timeline={result.timeline} />
            <TypeCounts counts={result.typeCounts} />
          </div>
          <SelectionBar selected={liveSelected} onClear={clearSelection} />
          <div className="results-bar">
            <span className="result-count" role="status" data-testid="result-count">
              {filtered
                ? `${formatCount(rows.length)} of ${formatCount(result.total)} memories`
                : `${formatCount(result.total)} memories`}
            </span>
            {provisional.length > 0 && (
              <span className="pill accent">
                {formatCount(provisional.length)} being written by the model
              </span>
            )}
            <span className="spacer" />
            <span className="muted shortcut-hint">
              <span className="kbd">j</span> <span className="kbd">k</span> move ·{' '}
              <span className="kbd">Enter</span> open · <span className="kbd">x</span> select
            </span>
            <ExportMenu
              label={filtered ? 'Export results' : 'Export all'}
              disabled={rows.length === 0}
              selection={() =>
                filtered
                  ? {
                      kind: 'ids',
                      ids: rows.filter((row) => !provisionalIds.has(row.id)).map((row) => row.id),
                    }
                  : { kind: 'all' }
              }
            />
          </div>
          <AskRankContext value={asked.byId}>
            <TableContext value={tableContext}>
              {rows.length === 0 && asked.ranking ? (
                <NoAskMatch />
              ) : rows.length === 0 ? (
                <div className="table-wrap">
                  <EmptyState title="No memory matches" showExample={false}>
                    Nothing matches these filters.{' '}
                    <button
                      type="button"
                      className="button small"
                      onClick={() => useFilterStore.getState().clearFilters()}
                    >
                      Clear filters
                    </button>
                  </EmptyState>
                </div>
              ) : (
                <MemoryTable
                  rows={rows as MemoryRecord[]}
                  ranked={asked.ranking !== null}
                  sort={sort}
                  onSortChange={onSortChange}
                  {...{ activeIndex, openId: openMemoryId, onActivate: setActiveIndex, onOpen }}
                />
              )}
            </TableContext>
          </AskRankContext>
        </div>
        {openMemoryRecord && (
          <DetailPanel
            memory={openMemoryRecord}
            conversationTitle={
              titles.get(openMemoryRecord.conversationId) ?? openMemoryRecord.conversationId
            }
            related={related}
            onOpen={onOpen}
            onClose={() => openMemory(null)}
          />
        )}
      </div>
    </section>
  );
}
