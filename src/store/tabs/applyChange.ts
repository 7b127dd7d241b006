import { useConversationsStore } from '../conversations/conversationsStore';
import type { DimmemDb } from '../db/db';
import {
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
      if (change.memoryIds && change.memoryIds.length > 0) memories.removeMany(change.memoryIds);
      break;
    case 'windows':
      runs.upsertWindows(change.windows);
      break;
    case 'window-committed':
      memories.commitWindow(change.runId, change.windowIndex, change.memories);
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
    case 'conversations-saved':
      useConversationsStore.getState().upsertMany(change.conversations);
      break;
    case 'conversation-removed':
      useConversationsStore.getState().remove(change.conversationId);
      if (change.memoryIds.length > 0) memories.removeMany(change.memoryIds);
      break;
    case 'reload':
      return reload(change.what, db);
  }
  return Promise.resolve();
}

async function reload(what: ReloadableStore, db: () => Promise<DimmemDb>): Promise<void> {
  const database = await db();
  if (what === 'conversations') await loadConversationsIntoStore(database);
  else if (what === 'memories') await loadMemoriesIntoStore(database);
  else await loadRunsIntoStore(database);
}
