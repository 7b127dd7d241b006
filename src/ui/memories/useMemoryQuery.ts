import { useEffect, useMemo, useState } from 'react';

import { MemoryIndex } from '../../core/filter';
import type { MemoryFilters, MemoryQueryResult, MemorySort } from '../../core/filter';
import type { MemoryRecord } from '../../store/db/records';

/**
 * One {@link MemoryIndex} for the lifetime of the view, synced with the store's memories (new and
 * edited ones are indexed incrementally) and queried whenever the filters change.
 */
export function useMemoryQuery(
  memories: readonly MemoryRecord[],
  titles: ReadonlyMap<string, string>,
  filters: MemoryFilters,
  sort: MemorySort | null,
): { index: MemoryIndex<MemoryRecord>; result: MemoryQueryResult<MemoryRecord> } {
  const [index] = useState(() => new MemoryIndex<MemoryRecord>());

  // Syncing is idempotent, so running it during render (and twice in StrictMode) is safe.
  const synced = useMemo(() => {
    index.sync(memories);
    return memories;
  }, [index, memories]);
  const labelled = useMemo(() => {
    index.setConversationLabels(titles);
    return titles;
  }, [index, titles]);

  const result = useMemo(() => {
    void synced;
    void labelled;
    return index.query(filters, sort);
  }, [index, synced, labelled, filters, sort]);

  // Build the text index while the browser is idle, so the first keystroke is fast too.
  const hasMemories = memories.length > 0;
  useEffect(() => {
    if (!hasMemories) return;
    const warm = () => index.warmSearch();
    if ('requestIdleCallback' in window) {
      const handle = window.requestIdleCallback(warm, { timeout: 3000 });
      return () => window.cancelIdleCallback(handle);
    }
    const handle = setTimeout(warm, 500);
    return () => clearTimeout(handle);
  }, [index, hasMemories]);

  return { index, result };
}
