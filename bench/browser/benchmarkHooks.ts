import type { SyntheticOptions } from '../../src/core/filter/syntheticMemories';
import { syntheticMemories } from '../../src/core/filter/syntheticMemories';
import type { DimmemDb } from '../../src/store/db/db';
import { memoryId } from '../../src/store/memories/memoryIds';
import { putMemories } from '../../src/store/memories/memoryRepository';
import type { MemoryRecord } from '../../src/store/db/records';

/** Memories per generated window, about what a 15-message window yields. */
const MEMORIES_PER_WINDOW = 16;

/**
 * `count` realistic memory records (real recorded answers varied with real words; see
 * `syntheticMemories`), shaped exactly as the run service stores them. Benchmark and stress data
 * only: labelled with a `bench` run and the `recorded` origin, never shown as extracted.
 */
export function generateMemoryRecords(
  count: number,
  options: SyntheticOptions & { createdAt?: number },
): MemoryRecord[] {
  const createdAt = options.createdAt ?? Date.UTC(2025, 0, 1);
  return syntheticMemories(count, options).map((memory, i) => {
    const windowIndex = Math.floor(i / MEMORIES_PER_WINDOW);
    return {
      ...memory,
      id: memoryId('bench', windowIndex, i % MEMORIES_PER_WINDOW),
      runId: 'bench',
      windowIndex,
      modelId: 'DimMem-4B (recorded answers)',
      origin: 'recorded',
      edited: memory.edited ?? false,
      createdAt: createdAt + i,
      sourceIdInWindow: 1 + (i % 15),
    };
  });
}

/**
 * Writes memories the way the app does (the repository's one-transaction bulk put with its error
 * handling), in batches of `batchSize` windows' worth, to compare with a bare `idb` bulk put.
 */
export async function writeMemoriesViaRepository(
  db: DimmemDb,
  memories: readonly MemoryRecord[],
  batchSize = memories.length,
): Promise<void> {
  for (let start = 0; start < memories.length; start += batchSize) {
    await putMemories(db, memories.slice(start, start + batchSize));
  }
}
