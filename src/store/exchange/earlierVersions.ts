import type { MemoryRecord } from '../db/records';

/**
 * `selected` followed by the earlier versions behind them (what each was merged from or
 * superseded, and so on back), each once, in stored order.
 */
export function withEarlierVersions(
  selected: readonly MemoryRecord[],
  stored: readonly MemoryRecord[],
): MemoryRecord[] {
  const byId = new Map(stored.map((memory) => [memory.id, memory]));
  const included = new Set(selected.map((memory) => memory.id));
  const queue = selected.flatMap((memory) => memory.mergedFrom ?? []);
  const earlier = new Set<string>();
  while (queue.length > 0) {
    const id = queue.pop()!;
    const version = byId.get(id);
    if (!version?.supersededBy || included.has(id) || earlier.has(id)) continue;
    earlier.add(id);
    queue.push(...(version.mergedFrom ?? []));
  }
  return [...selected, ...stored.filter((memory) => earlier.has(memory.id))];
}
