import type { DimmemDb } from '../db/db';
import { requestBatch, withWriteTransaction } from '../db/transactions';
import type { MemoryVectorRecord } from '../db/vectorRecords';
import { memoryVectorRecordSchema } from '../db/vectorRecords';

/**
 * Every stored vector, with one `getAll`. A record that does not fit the schema (written by a
 * later version, or damaged) is left out: its memory is embedded again and the record replaced.
 */
export async function loadAllVectorRecords(db: DimmemDb): Promise<MemoryVectorRecord[]> {
  const records = await db.getAll('memoryVectors');
  return records.filter((record) => memoryVectorRecordSchema.safeParse(record).success);
}

/** Writes vectors (replacing those of the same memories) in one transaction: all or nothing. */
export function putVectorRecords(
  db: DimmemDb,
  records: readonly MemoryVectorRecord[],
): Promise<void> {
  return withWriteTransaction(db, ['memoryVectors'], async (transaction) => {
    const store = transaction.objectStore('memoryVectors');
    const batch = requestBatch();
    batch.addAll(records, (record) => store.put(record));
    await batch.done();
  });
}

export function deleteVectorRecords(db: DimmemDb, memoryIds: readonly string[]): Promise<void> {
  return withWriteTransaction(db, ['memoryVectors'], async (transaction) => {
    const store = transaction.objectStore('memoryVectors');
    const batch = requestBatch();
    batch.addAll(memoryIds, (id) => store.delete(id));
    await batch.done();
  });
}
