import type { DimmemDb } from '../db/db';
import type { ConversationRecord } from '../db/records';

/** How a conversation about to be imported repeats one that is stored. */
export type StoredMatchKind = 'same-content' | 'same-source';

/**
 * The one rule for "already stored", for the page's check and the import worker's alike: the same
 * messages under any id (its own id first), else the same id with other messages (a chat that
 * went on since the last export).
 */
export function matchStored(
  id: string,
  sameContent: readonly ConversationRecord[],
  sameId: ConversationRecord | undefined,
): { existing: ConversationRecord; match: StoredMatchKind } | null {
  const existing = sameContent.find((record) => record.id === id) ?? sameContent[0];
  if (existing) return { existing, match: 'same-content' };
  if (sameId) return { existing: sameId, match: 'same-source' };
  return null;
}

/** The stored conversations by id and by content hash, read once for a whole file's check. */
export interface StoredIndex {
  byId: Map<string, ConversationRecord>;
  byHash: Map<string, ConversationRecord[]>;
}

export async function loadStoredIndex(db: DimmemDb): Promise<StoredIndex> {
  const records = await db.getAll('conversations');
  const byId = new Map<string, ConversationRecord>();
  const byHash = new Map<string, ConversationRecord[]>();
  for (const record of records) {
    byId.set(record.id, record);
    const list = byHash.get(record.contentHash);
    if (list) list.push(record);
    else byHash.set(record.contentHash, [record]);
  }
  return { byId, byHash };
}

/** {@link matchStored} against an index: the stored id the conversation repeats, and how. */
export function matchInIndex(
  stored: StoredIndex,
  id: string,
  hash: string,
): { existingId: string; match: StoredMatchKind } | null {
  const found = matchStored(id, stored.byHash.get(hash) ?? [], stored.byId.get(id));
  return found && { existingId: found.existing.id, match: found.match };
}

/** The first id not taken: `id~2`, `id~3`, … (as a single import's "keep both"). */
export function freeCopy(taken: Set<string>, id: string): { id: string; number: number } {
  for (let number = 2; ; number++) {
    const candidate = `${id}~${number}`;
    if (!taken.has(candidate)) return { id: candidate, number };
  }
}
