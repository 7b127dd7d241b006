import { ConsolidationPass } from '../../core/consolidate';
import { errorText } from '../../core/errorText';
import type { DimmemDb } from '../db/db';
import type { MemoryRecord } from '../db/records';
import { isCurrentMemory, useMemoriesStore } from '../memories/memoriesStore';
import { loadAllMemories } from '../memories/memoryRepository';
import type { ServiceDeps } from '../tabs/publish';
import { toConsolidationMemory } from './consolidatedRecord';
import { useConsolidationStore } from './consolidationStore';
import type { PairDetector } from './pairDetector';
import { loadReviewPairRecords } from './pairRepository';
import { reviewPairsOf } from './reviewPairs';
import { ruleMergeWrites, withoutKeptGroups } from './ruleMergeWrites';
import type { VersionChange } from './versionRepository';
import { commitConsolidations, replaceOpenPairs } from './versionRepository';

export interface QueueDetectionDeps {
  db: () => Promise<DimmemDb>;
  publish: ServiceDeps['publish'];
  now: () => number;
  detectPairs: PairDetector;
  publishVersions: (change: VersionChange) => Promise<void>;
  /** A decision run owns the store's `phase` (its progress and Stop stay shown): left alone. */
  phaseTaken: () => boolean;
}

/** The memories detection reads: the store's current ones once loaded, else the database's. */
async function currentRecords(db: DimmemDb): Promise<readonly MemoryRecord[]> {
  const state = useMemoriesStore.getState();
  if (state.loaded) return state.memories;
  return (await loadAllMemories(db)).filter(isCurrentMemory);
}

/**
 * One detection into the review queue (and, with `autoMergeExact`, the rule merges). Aborted by
 * `signal` (a newer detection replaced it): it stops, writes nothing more and leaves the store to
 * the newer one. Failures land in the store's `error`; it never throws.
 */
export async function detectIntoQueue(
  deps: QueueDetectionDeps,
  signal: AbortSignal,
): Promise<void> {
  const store = () => useConsolidationStore.getState();
  const setPhase = (phase: 'detecting' | 'idle' | 'error') => {
    if (!deps.phaseTaken()) store().patch({ phase });
  };
  setPhase('detecting');
  store().patch({ error: null });
  try {
    const db = await deps.db();
    const records = await currentRecords(db);
    const memories = records.map(toConsolidationMemory);
    const stored = new Map((await loadReviewPairRecords(db)).map((pair) => [pair.id, pair]));
    const detection = withoutKeptGroups(await deps.detectPairs(memories, signal), stored);
    // The newer detection reads the memories again and writes the queue.
    if (signal.aborted) return;
    const pass = new ConsolidationPass(memories, detection);
    const ruleMerged = store().autoMergeExact && pass.created.length > 0;
    if (ruleMerged) {
      const byId = new Map(records.map((record) => [record.id, record]));
      await deps.publishVersions(
        await commitConsolidations(db, ruleMergeWrites(pass, byId, deps.now())),
      );
    }
    const current = new Set(records.map((record) => record.id));
    if (ruleMerged)
      for (const made of pass.created) made.mergedFrom.forEach(current.delete, current);
    const open = reviewPairsOf(detection, pass, stored, ruleMerged, current);
    await replaceOpenPairs(db, open);
    await deps.publish({ type: 'consolidation-pairs', put: open, removedIds: [], all: true });
    setPhase('idle');
    store().patch({ method: detection.method });
  } catch (error) {
    if (signal.aborted) return;
    setPhase('error');
    store().patch({ error: errorText(error) });
  }
}
