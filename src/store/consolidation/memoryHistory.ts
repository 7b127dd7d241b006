import type { MemoryRecord } from '../db/records';
import { useMemoriesStore } from '../memories/memoriesStore';

/**
 * The earlier versions behind a memory: what it was merged from or superseded, and what those were
 * made from in turn, oldest first (source time; a merged memory after its originals; then id). Each carries `supersededBy` and, for a
 * superseded fact, `validUntil`. Originals deleted since are not records any more: the memory's
 * `removedOriginals` lists them.
 */
export function memoryHistory(
  memoryId: string,
  state: Pick<
    ReturnType<typeof useMemoriesStore.getState>,
    'byId' | 'earlier'
  > = useMemoriesStore.getState(),
): MemoryRecord[] {
  const start = state.byId.get(memoryId) ?? state.earlier.get(memoryId);
  if (!start) return [];
  const found = new Map<string, MemoryRecord>();
  const queue = [...(start.mergedFrom ?? [])];
  while (queue.length > 0) {
    const id = queue.shift()!;
    const version = state.earlier.get(id);
    // Only records still standing behind this chain (a re-extracted id is a new, current memory).
    if (!version || found.has(id) || id === memoryId) continue;
    found.set(id, version);
    queue.push(...(version.mergedFrom ?? []));
  }
  // A merged memory shares its newest original's message: it comes after what it was made from.
  const depth = new Map<string, number>();
  const depthOf = (memory: MemoryRecord): number => {
    const known = depth.get(memory.id);
    if (known !== undefined) return known;
    depth.set(memory.id, 0);
    const originals = (memory.mergedFrom ?? []).map((id) => found.get(id));
    const value = Math.max(
      0,
      ...originals.map((original) => (original ? depthOf(original) + 1 : 1)),
    );
    depth.set(memory.id, value);
    return value;
  };
  return [...found.values()].sort(
    (a, b) =>
      a.messageTimestamp - b.messageTimestamp ||
      depthOf(a) - depthOf(b) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
