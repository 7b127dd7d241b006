import type { ReviewPairRecord } from '../db/consolidationRecords';
import type { DimmemDb } from '../db/db';
import type { ReviewPair } from './consolidationStore';

/** A pair's id, from its two memories' ids (older first): the same pair always has the same id. */
export const reviewPairId = (olderId: string, newerId: string): string => `${olderId}~${newerId}`;

/** Every stored pair, kept-apart ones included. */
export function loadReviewPairRecords(db: DimmemDb): Promise<ReviewPairRecord[]> {
  return db.getAll('consolidationPairs');
}

/**
 * The queue a view shows: open pairs only. A pair stored while a model was deciding it (the tab
 * closed mid-way) waits for the model again.
 */
export function openReviewPairs(records: readonly ReviewPairRecord[]): ReviewPair[] {
  const open: ReviewPair[] = [];
  for (const record of records) {
    if (record.status === 'kept') continue;
    open.push({
      ...record,
      status: record.status === 'deciding' ? 'waiting-for-model' : record.status,
    });
  }
  return open;
}
