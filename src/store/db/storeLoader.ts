import { useConsolidationStore } from '../consolidation/consolidationStore';
import { loadReviewPairRecords, openReviewPairs } from '../consolidation/pairRepository';
import { listConversations } from '../conversations/conversationRepository';
import { useConversationsStore } from '../conversations/conversationsStore';
import type { DimmemDb } from './db';
import { useMemoriesStore } from '../memories/memoriesStore';
import { loadAllMemories } from '../memories/memoryRepository';
import { listAllWindows, listRuns } from '../runs/runRepository';
import { useRunsStore } from '../runs/runsStore';

export async function loadConversationsIntoStore(db: DimmemDb): Promise<void> {
  useConversationsStore.getState().setAll(await listConversations(db));
}

export async function loadRunsIntoStore(db: DimmemDb): Promise<void> {
  const [runs, windows] = await Promise.all([listRuns(db), listAllWindows(db)]);
  useRunsStore.getState().setAll(runs, windows);
}

/** One bulk read and one store update, however many memories there are. */
export async function loadMemoriesIntoStore(db: DimmemDb): Promise<void> {
  useMemoriesStore.getState().setAll(await loadAllMemories(db));
}

/** The consolidation review queue (open pairs). */
export async function loadConsolidationIntoStore(db: DimmemDb): Promise<void> {
  useConsolidationStore.getState().setPairs(openReviewPairs(await loadReviewPairRecords(db)));
}

/** Fills every store from IndexedDB. */
export async function loadAllStores(db: DimmemDb): Promise<void> {
  await Promise.all([
    loadConversationsIntoStore(db),
    loadRunsIntoStore(db),
    loadMemoriesIntoStore(db),
    loadConsolidationIntoStore(db),
  ]);
}
