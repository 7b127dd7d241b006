import { getDb } from '../engine/connection';
import { deleteConversation as deleteConversationRecords } from '../conversations/conversationRepository';
import { useConversationsStore } from '../conversations/conversationsStore';
import type { DimmemDb } from '../db/db';
import { useMemoriesStore } from './memoriesStore';
import type { MemoryEdit } from './memoryRepository';
import {
  deleteMemories as deleteMemoryRecords,
  editMemory as editMemoryRecord,
} from './memoryRepository';
import type { MemoryRecord } from '../db/records';
import type { TabChannel } from '../tabs/tabChannel';
import { channelOf } from '../tabs/tabChannel';
import { MAX_BROADCAST_MEMORIES } from '../tabs/tabChannel';

export interface MemoryServiceOptions {
  db?: DimmemDb;
  channel?: TabChannel | null;
}

/** Saves a person's edit (validated, marked edited) and shows it everywhere. */
export async function saveMemoryEdit(
  id: string,
  edit: MemoryEdit,
  options: MemoryServiceOptions = {},
): Promise<MemoryRecord> {
  const memory = await editMemoryRecord(options.db ?? (await getDb()), id, edit);
  useMemoriesStore.getState().upsertMany([memory]);
  channelOf(options).post({ type: 'memories-upserted', memories: [memory] });
  return memory;
}

export async function deleteMemories(
  ids: readonly string[],
  options: MemoryServiceOptions = {},
): Promise<void> {
  await deleteMemoryRecords(options.db ?? (await getDb()), ids);
  useMemoriesStore.getState().removeMany(ids);
  channelOf(options).post(
    ids.length > MAX_BROADCAST_MEMORIES
      ? { type: 'reload', what: 'memories' }
      : { type: 'memories-removed', ids: [...ids] },
  );
}

/** Deletes a conversation; with `withMemories`, also the memories drawn from it. */
export async function deleteConversation(
  id: string,
  withMemories: boolean,
  options: MemoryServiceOptions = {},
): Promise<void> {
  const removed = await deleteConversationRecords(options.db ?? (await getDb()), id, {
    withMemories,
  });
  useConversationsStore.getState().remove(id);
  useMemoriesStore.getState().removeMany(removed);
  channelOf(options).post({ type: 'reload', what: 'conversations' });
  if (removed.length > 0) channelOf(options).post({ type: 'reload', what: 'memories' });
}
