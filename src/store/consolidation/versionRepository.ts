import { compareSourceTime } from '../../core/consolidate/sourceOrder';
import type { ReviewPairRecord } from '../db/consolidationRecords';
import type { DimmemDb } from '../db/db';
import type { MemoryRecord } from '../db/records';
import type { WriteTransaction } from '../db/transactions';
import { putAllInStore, requestBatch, withWriteTransaction } from '../db/transactions';
import type { ConsolidationWrite } from './consolidatedRecord';
import { reviewPairId } from './pairRepository';
import { currentAgain } from './versionLinks';

type VersionTransaction = WriteTransaction<['memories', 'consolidationPairs']>;

/** What a commit changed: memory records to publish, pairs that left the queue. */
export interface VersionChange {
  memories: MemoryRecord[];
  removedPairIds: string[];
  removedMemoryIds: string[];
  /** Pairs kept apart (after an undo), to publish. */
  keptPairs: ReviewPairRecord[];
}

/** Open pairs touching any of `memoryIds`: they no longer stand once a memory changes version. */
async function pairsTouching(
  transaction: VersionTransaction,
  memoryIds: Iterable<string>,
): Promise<string[]> {
  const pairs = transaction.objectStore('consolidationPairs');
  const found = new Set<string>();
  for (const id of memoryIds) {
    const [asOlder, asNewer] = await Promise.all([
      pairs.index('by-older').getAll(id),
      pairs.index('by-newer').getAll(id),
    ]);
    for (const pair of [...asOlder, ...asNewer]) if (pair.status !== 'kept') found.add(pair.id);
  }
  return [...found];
}

/**
 * Commits merges and supersedes in one transaction: each new memory, each original marked as its
 * earlier version (`supersededBy`, `validUntil`), and the pairs touching the originals leave the
 * queue. Deterministic ids make it safe to repeat: a new memory already stored (a commit that
 * finished before a reload) is not written twice. Throws, writing nothing, when an original is
 * gone or already an earlier version of another memory.
 */
export function commitConsolidations(
  db: DimmemDb,
  writes: readonly ConsolidationWrite[],
): Promise<VersionChange> {
  return withWriteTransaction(db, ['memories', 'consolidationPairs'], async (transaction) => {
    const memories = transaction.objectStore('memories');
    const changed = new Map<string, MemoryRecord>();
    for (const { created, earlier } of writes) {
      const stored = await memories.get(created.id);
      if (!stored) changed.set(created.id, created);
      for (const { id, validUntil } of earlier) {
        const original = changed.get(id) ?? (await memories.get(id));
        if (!original) throw new Error(`Memory ${id} is no longer stored.`);
        if (original.supersededBy !== undefined && original.supersededBy !== created.id)
          throw new Error(`Memory ${id} was already merged into ${original.supersededBy}.`);
        const version: MemoryRecord = { ...original, supersededBy: created.id };
        if (validUntil !== undefined) version.validUntil = validUntil;
        changed.set(id, version);
      }
    }
    const batch = requestBatch();
    batch.addAll(changed.values(), (record) => memories.put(record));
    await batch.done();
    const earlierIds = writes.flatMap((write) => write.earlier.map((original) => original.id));
    const removedPairIds = await deletePairs(
      transaction,
      await pairsTouching(transaction, earlierIds),
    );
    return { memories: [...changed.values()], removedPairIds, removedMemoryIds: [], keptPairs: [] };
  });
}

async function deletePairs(transaction: VersionTransaction, ids: string[]): Promise<string[]> {
  const pairs = transaction.objectStore('consolidationPairs');
  const batch = requestBatch();
  batch.addAll(ids, (id) => pairs.delete(id));
  await batch.done();
  return ids;
}

/** A pair the user keeps apart: detection never proposes it again. */
export function keptPair(
  older: Pick<MemoryRecord, 'id'>,
  newer: Pick<MemoryRecord, 'id'>,
): ReviewPairRecord {
  return {
    id: reviewPairId(older.id, newer.id),
    olderId: older.id,
    newerId: newer.id,
    kind: 'duplicate',
    similarity: 0,
    method: 'lexical',
    rule: null,
    proposal: null,
    status: 'kept',
  };
}

/**
 * Undoes a merge or supersede: the new memory is deleted and its originals are current again, in
 * one transaction. The originals are then kept apart, so detection (and the automatic merge of
 * exact duplicates) does not merge them again. A memory merged again since must be undone first.
 */
export function undoConsolidation(db: DimmemDb, memoryId: string): Promise<VersionChange> {
  return withWriteTransaction(db, ['memories', 'consolidationPairs'], async (transaction) => {
    const memories = transaction.objectStore('memories');
    const merged = await memories.get(memoryId);
    if (!merged?.mergedFrom) throw new Error(`Memory ${memoryId} was not made by a merge.`);
    if (merged.supersededBy !== undefined)
      throw new Error(
        `Memory ${memoryId} was merged again since (into ${merged.supersededBy}): undo that first.`,
      );
    const originals: MemoryRecord[] = [];
    for (const id of merged.mergedFrom) {
      const original = await memories.get(id);
      if (original?.supersededBy === memoryId) originals.push(currentAgain(original));
    }
    originals.sort(compareSourceTime);
    const keptPairs = originals.flatMap((older, index) =>
      originals.slice(index + 1).map((newer) => keptPair(older, newer)),
    );
    const removedPairIds = await pairsTouching(transaction, [memoryId]);
    const batch = requestBatch();
    batch.add(memories.delete(memoryId));
    batch.addAll(originals, (record) => memories.put(record));
    const pairs = transaction.objectStore('consolidationPairs');
    batch.addAll(removedPairIds, (id) => pairs.delete(id));
    batch.addAll(keptPairs, (pair) => pairs.put(pair));
    await batch.done();
    return { memories: originals, removedPairIds, removedMemoryIds: [memoryId], keptPairs };
  });
}

/** Pins or unpins a memory (a pinned one is never changed automatically). */
export function setMemoryPinned(db: DimmemDb, id: string, pinned: boolean): Promise<MemoryRecord> {
  return withWriteTransaction(db, ['memories'], async (transaction) => {
    const store = transaction.objectStore('memories');
    const current = await store.get(id);
    if (!current) throw new Error(`Memory ${id} does not exist.`);
    const { pinned: _was, ...rest } = current;
    const next: MemoryRecord = pinned ? { ...rest, pinned: true } : rest;
    await store.put(next);
    return next;
  });
}

/** Stores pairs (new, changed, or kept apart) in one transaction. */
export function putReviewPairs(db: DimmemDb, pairs: readonly ReviewPairRecord[]): Promise<void> {
  return putAllInStore(db, 'consolidationPairs', pairs);
}

/** Replaces the open queue with `open` (kept-apart pairs stay) in one transaction. */
export function replaceOpenPairs(db: DimmemDb, open: readonly ReviewPairRecord[]): Promise<void> {
  return withWriteTransaction(db, ['consolidationPairs'], async (transaction) => {
    const store = transaction.objectStore('consolidationPairs');
    const stale = (await store.getAll()).filter((pair) => pair.status !== 'kept');
    const batch = requestBatch();
    batch.addAll(stale, (pair) => store.delete(pair.id));
    batch.addAll(open, (pair) => store.put(pair));
    await batch.done();
  });
}
