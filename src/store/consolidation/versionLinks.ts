import type { IDBPObjectStore } from 'idb';

import type { DimmemSchema, StoreName } from '../db/db';
import type { RemovedOriginalReason } from '../db/memoryVersionFields';
import type { MemoryRecord } from '../db/records';
import { requestBatch } from '../db/transactions';

export type WritableMemories<Stores extends StoreName[]> = IDBPObjectStore<
  DimmemSchema,
  Stores,
  'memories',
  'readwrite'
>;

/** What a deletion of memories did: the ids deleted and the records it changed to keep history. */
export interface RemovedMemories {
  memoryIds: string[];
  /** Originals current again, and consolidated memories noting a deleted original. */
  relinked: MemoryRecord[];
}

/**
 * Keeps consolidation's versions whole when memories are deleted or replaced, inside the deleting
 * transaction, so no memory is ever hidden behind one that is gone:
 * - a consolidated memory that goes (its conversation, its run, by hand) makes its originals
 *   current again, as an undo would;
 * - an original that goes while its consolidated memory stays is listed in that memory's
 *   `removedOriginals` with its text, so the history says what the memory was made from.
 * Returns the records it changed (to publish).
 */
export async function relinkAfterRemoval<Stores extends StoreName[]>(
  memories: WritableMemories<Stores>,
  removed: readonly MemoryRecord[],
  reason: RemovedOriginalReason,
  removedAt: number = Date.now(),
): Promise<MemoryRecord[]> {
  const removedIds = new Set(removed.map((memory) => memory.id));
  const changed = new Map<string, MemoryRecord>();
  const read = async (id: string) => changed.get(id) ?? (await memories.get(id));
  for (const memory of removed) {
    for (const id of memory.mergedFrom ?? []) {
      if (removedIds.has(id)) continue;
      const original = await read(id);
      if (original?.supersededBy !== memory.id) continue;
      changed.set(id, currentAgain(original));
    }
    const mergedId = memory.supersededBy;
    if (mergedId === undefined || removedIds.has(mergedId)) continue;
    const merged = await read(mergedId);
    if (!merged) continue;
    const note = {
      id: memory.id,
      content: memory.content,
      messageTimestamp: memory.messageTimestamp,
      removedAt,
      reason,
    };
    changed.set(mergedId, {
      ...merged,
      removedOriginals: [...(merged.removedOriginals ?? []), note],
    });
  }
  const batch = requestBatch();
  batch.addAll(changed.values(), (record) => memories.put(record));
  await batch.done();
  return [...changed.values()];
}

/** An earlier version made current again: no `supersededBy`, no `validUntil`. */
export function currentAgain(memory: MemoryRecord): MemoryRecord {
  const { supersededBy: _supersededBy, validUntil: _validUntil, ...current } = memory;
  return current;
}

/** How a conversation or run is deleted: with its memories or without; when (for the history). */
export interface MemoryRemovalOptions {
  withMemories: boolean;
  /** Epoch ms; now when not given. */
  removedAt?: number;
}

/**
 * With `withMemories`, deletes the memories an index finds under `key` (a conversation's, a
 * run's), keeping versions whole (`relinkAfterRemoval`); without, deletes nothing.
 */
export async function removeMemoriesByIndex<Stores extends StoreName[]>(
  memories: WritableMemories<Stores>,
  index: 'by-conversation' | 'by-run',
  key: string,
  reason: RemovedOriginalReason,
  options: MemoryRemovalOptions,
): Promise<RemovedMemories> {
  if (!options.withMemories) return { memoryIds: [], relinked: [] };
  const removed = await memories.index(index).getAll(key);
  const batch = requestBatch();
  batch.addAll(removed, (memory) => memories.delete(memory.id));
  await batch.done();
  const relinked = await relinkAfterRemoval(memories, removed, reason, options.removedAt);
  return { memoryIds: removed.map((memory) => memory.id), relinked };
}
