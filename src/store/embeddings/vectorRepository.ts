import type { DimmemDb } from '../db/db';
import { deleteAllInStore, putAllInStore } from '../db/transactions';
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
  return putAllInStore(db, 'memoryVectors', records);
}

export function deleteVectorRecords(db: DimmemDb, memoryIds: readonly string[]): Promise<void> {
  return deleteAllInStore(db, 'memoryVectors', memoryIds);
}
