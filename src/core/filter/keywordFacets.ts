import type { MemoryColumns } from './memoryColumns';
import type { KeywordFacet } from './types';

/**
 * The keyword chips for the matched slots: selected keywords first, then the most frequent, at
 * most `limit` (or as many as are selected).
 */
export function keywordFacets(
  columns: MemoryColumns,
  matched: Int32Array,
  count: number,
  selected: string[],
  limit: number,
): KeywordFacet[] {
  const { keywordIds, keywordLabels } = columns;
  const counts = new Uint32Array(keywordLabels.length);
  const touched: number[] = [];
  for (let i = 0; i < count; i++) {
    for (const id of keywordIds[matched[i]!]!) {
      if (counts[id] === 0) touched.push(id);
      counts[id] = counts[id]! + 1;
    }
  }
  const selectedIds = new Set(selected.map((keyword) => columns.keywordId(keyword) ?? -1));
  // Keep only keywords frequent enough to make the cut before sorting (many are singletons).
  let candidates = touched;
  if (touched.length > limit * 4) {
    const byCount = touched.map((id) => counts[id]!).sort((a, b) => b - a);
    const threshold = byCount[limit - 1] ?? 0;
    candidates = touched.filter((id) => counts[id]! >= threshold || selectedIds.has(id));
  }
  candidates.sort(
    (a, b) =>
      Number(selectedIds.has(b)) - Number(selectedIds.has(a)) ||
      counts[b]! - counts[a]! ||
      keywordLabels[a]!.localeCompare(keywordLabels[b]!),
  );
  const facets = candidates
    .slice(0, Math.max(limit, selectedIds.size))
    .map((id) => ({ keyword: keywordLabels[id]!, count: counts[id]! }));
  // A selected keyword no memory carries still shows (with 0) so it can be removed.
  for (const keyword of selected) {
    const id = columns.keywordId(keyword);
    if (id === undefined || counts[id] === 0) facets.unshift({ keyword, count: 0 });
  }
  return facets;
}
