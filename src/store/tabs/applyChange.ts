import { readAskedQuestion } from '../ask/askDetails';
import { useAskStore } from '../ask/askStore';
import { useConsolidationStore } from '../consolidation/consolidationStore';
import { openReviewPairs } from '../consolidation/pairRepository';
import { useConversationsStore } from '../conversations/conversationsStore';
import type { DimmemDb } from '../db/db';
import type { MemoryRecord } from '../db/records';
import {
  loadConsolidationIntoStore,
  loadConversationsIntoStore,
  loadMemoriesIntoStore,
  loadRunsIntoStore,
} from '../db/storeLoader';
import { useMemoriesStore } from '../memories/memoriesStore';
import { useRunsStore } from '../runs/runsStore';
import type { Change, ReloadableStore } from './changes';

/**
 * The one reducer from changes to this tab's stores, for changes made here and changes another
 * tab made alike. Every case is one update of each store it touches; only `reload` reads
 * IndexedDB (the returned promise settles when it has).
 */
export function applyChange(change: Change, db: () => Promise<DimmemDb>): Promise<void> {
  const runs = useRunsStore.getState();
  const memories = useMemoriesStore.getState();
  switch (change.type) {
    case 'run':
      runs.upsertRun(change.run);
      break;
    case 'run-removed':
      runs.removeRun(change.runId);
      removeRelinking(change.memoryIds ?? [], change.relinked);
      break;
    case 'windows':
      runs.upsertWindows(change.windows);
      break;
    case 'window-committed':
      memories.commitWindow(change.runId, change.windowIndex, change.memories);
      if (change.relinked && change.relinked.length > 0) memories.upsertMany(change.relinked);
      break;
    case 'provisional':
      if (change.memories.length === 0) memories.clearProvisional(change.runId, change.windowIndex);
      else memories.setProvisional(change.runId, change.windowIndex, change.memories);
      break;
    case 'live':
      runs.setLive(change.live);
      break;
    case 'memories-upserted':
      memories.upsertMany(change.memories);
      break;
    case 'memories-removed':
      memories.removeMany(change.ids);
      break;
    case 'question-saved':
      useAskStore.getState().upsertQuestion(readAskedQuestion(change.question));
      break;
    case 'question-removed':
      useAskStore.getState().removeQuestion(change.id);
      break;
    case 'conversations-saved':
      useConversationsStore.getState().upsertMany(change.conversations);
      break;
    case 'conversation-removed':
      useConversationsStore.getState().remove(change.conversationId);
      removeRelinking(change.memoryIds, change.relinked);
      break;
    case 'memory-versions':
      memories.replaceVersions(change.memories, change.removedIds);
      break;
    case 'consolidation-pairs': {
      const open = openReviewPairs(change.put);
      const consolidation = useConsolidationStore.getState();
      if (change.all) consolidation.setPairs(open);
      else {
        // A pair kept apart leaves the queue like a removed one.
        const kept = change.put.filter((pair) => pair.status === 'kept').map((pair) => pair.id);
        consolidation.updatePairs(open, [...change.removedIds, ...kept]);
      }
      break;
    }
    case 'reload':
      return reload(change.what, db);
  }
  return Promise.resolve();
}

/** Deleted memories and the records their deletion changed to keep versions whole, in one update. */
function removeRelinking(
  memoryIds: readonly string[],
  relinked: readonly MemoryRecord[] = [],
): void {
  if (memoryIds.length > 0 || relinked.length > 0)
    useMemoriesStore.getState().replaceVersions(relinked, memoryIds);
}

async function reload(what: ReloadableStore, db: () => Promise<DimmemDb>): Promise<void> {
  const database = await db();
  if (what === 'conversations') await loadConversationsIntoStore(database);
  else if (what === 'memories') await loadMemoriesIntoStore(database);
  else if (what === 'consolidation') await loadConsolidationIntoStore(database);
  else await loadRunsIntoStore(database);
}
