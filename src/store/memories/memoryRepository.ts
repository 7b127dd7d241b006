import type { MemoryDimensions } from '../../core/memory';
import type { DimmemDb } from '../db/db';
import type { MemoryRecord } from '../db/records';
import { memoryRecordSchema } from '../db/records';
import { putAllInStore, requestBatch, withWriteTransaction } from '../db/transactions';
import { relinkAfterRemoval } from '../consolidation/versionLinks';

/** All memories, in id order, with one `getAll` (the fastest bulk read IndexedDB offers). */
export function loadAllMemories(db: DimmemDb): Promise<MemoryRecord[]> {
  return db.getAll('memories');
}

export function countMemories(db: DimmemDb): Promise<number> {
  return db.count('memories');
}

export async function getMemories(db: DimmemDb, ids: readonly string[]): Promise<MemoryRecord[]> {
  const transaction = db.transaction('memories');
  const found = await Promise.all(ids.map((id) => transaction.store.get(id)));
  return found.filter((memory): memory is MemoryRecord => memory !== undefined);
}

/**
 * Writes memories (new or replacing the same ids) in one transaction: all or nothing. Requests are
 * issued together and awaited once, which is what makes bulk writes fast.
 */
export function putMemories(db: DimmemDb, memories: readonly MemoryRecord[]): Promise<void> {
  return putAllInStore(db, 'memories', memories);
}

/**
 * Deletes memories in one transaction, keeping consolidation's versions whole
 * (`relinkAfterRemoval`); returns the records that changed for it.
 */
export function deleteMemories(db: DimmemDb, ids: readonly string[]): Promise<MemoryRecord[]> {
  return withWriteTransaction(db, ['memories'], async (transaction) => {
    const store = transaction.objectStore('memories');
    const found = await Promise.all(ids.map((id) => store.get(id)));
    const removed = found.filter((memory): memory is MemoryRecord => memory !== undefined);
    const batch = requestBatch();
    batch.addAll(ids, (id) => store.delete(id));
    await batch.done();
    return relinkAfterRemoval(store, removed, 'memory-deleted');
  });
}

/** The fields a person may edit on a memory. */
export type MemoryEdit = Partial<Pick<MemoryRecord, keyof MemoryDimensions>>;

/**
 * Applies a person's edit: the result is validated against the record schema (so an edit can never
 * store a memory the app cannot read) and marked as edited.
 */
export function editMemory(db: DimmemDb, id: string, edit: MemoryEdit): Promise<MemoryRecord> {
  return withWriteTransaction(db, ['memories'], async (transaction) => {
    const store = transaction.objectStore('memories');
    const current = await store.get(id);
    if (!current) throw new Error(`Memory ${id} does not exist.`);
    const next = memoryRecordSchema.parse({ ...current, ...edit, id, edited: true });
    await store.put(next);
    return next;
  });
}
