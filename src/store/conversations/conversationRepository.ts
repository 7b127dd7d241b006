import type { Conversation } from '../../core/conversation';
import { timeSpan } from '../../core/timeSpan';
import type { MemoryRemovalOptions, RemovedMemories } from '../consolidation/versionLinks';
import { removeMemoriesByIndex } from '../consolidation/versionLinks';
import type { DimmemDb } from '../db/db';
import type { ConversationRecord, MessageRecord } from '../db/records';
import { toMessage } from '../db/records';
import { requestBatch, withWriteTransaction } from '../db/transactions';

export function toConversationRecord(
  conversation: Conversation,
  contentHash: string,
  importedAt: number,
): ConversationRecord {
  const span = timeSpan(conversation.messages);
  const record: ConversationRecord = {
    id: conversation.id,
    title: conversation.title,
    participants: conversation.participants,
    format: conversation.format,
    sourceName: conversation.sourceName,
    sourceRef: conversation.sourceRef,
    contentHash,
    importedAt,
    messageCount: conversation.messages.length,
    userMessageCount: conversation.messages.filter((message) => message.role === 'user').length,
    firstTimestamp: span?.first ?? null,
    lastTimestamp: span?.last ?? null,
  };
  if (conversation.assumedTimestamps) record.assumedTimestamps = conversation.assumedTimestamps;
  return record;
}

export function toMessageRecords(conversation: Conversation): MessageRecord[] {
  return conversation.messages.map((message, position) => ({
    conversationId: conversation.id,
    position,
    ...message,
  }));
}

export const conversationRange = (id: string) => IDBKeyRange.bound([id, 0], [id, Infinity]);

/**
 * Saves a conversation and all its messages in one transaction. Messages of an earlier
 * conversation with the same id are removed first, so a replaced conversation keeps no stale lines.
 */
export function saveConversation(
  db: DimmemDb,
  conversation: Conversation,
  contentHash: string,
  importedAt: number,
): Promise<ConversationRecord> {
  const record = toConversationRecord(conversation, contentHash, importedAt);
  return withWriteTransaction(db, ['conversations', 'messages'], async (transaction) => {
    const messages = transaction.objectStore('messages');
    const oldKeys = await messages
      .index('by-conversation')
      .getAllKeys(conversationRange(record.id));
    const batch = requestBatch();
    batch.addAll(oldKeys, (key) => messages.delete(key));
    batch.addAll(toMessageRecords(conversation), (message) => messages.put(message));
    batch.add(transaction.objectStore('conversations').put(record));
    await batch.done();
    return record;
  });
}

export function listConversations(db: DimmemDb): Promise<ConversationRecord[]> {
  return db.getAllFromIndex('conversations', 'by-imported');
}

export function findConversationsByHash(
  db: DimmemDb,
  contentHash: string,
): Promise<ConversationRecord[]> {
  return db.getAllFromIndex('conversations', 'by-hash', contentHash);
}

export function getConversationRecord(
  db: DimmemDb,
  id: string,
): Promise<ConversationRecord | undefined> {
  return db.get('conversations', id);
}

/** Messages of a conversation in their original order. */
export function getMessages(db: DimmemDb, conversationId: string): Promise<MessageRecord[]> {
  return db.getAllFromIndex('messages', 'by-conversation', conversationRange(conversationId));
}

/** The core Conversation as it was imported, or null when it is not stored. */
export async function loadConversation(db: DimmemDb, id: string): Promise<Conversation | null> {
  const transaction = db.transaction(['conversations', 'messages']);
  const [record, messages] = await Promise.all([
    transaction.objectStore('conversations').get(id),
    transaction.objectStore('messages').index('by-conversation').getAll(conversationRange(id)),
  ]);
  if (!record) return null;
  const conversation: Conversation = {
    id: record.id,
    title: record.title,
    participants: record.participants,
    messages: messages.map(toMessage),
    format: record.format,
    sourceName: record.sourceName,
    sourceRef: record.sourceRef,
  };
  if (record.assumedTimestamps) conversation.assumedTimestamps = record.assumedTimestamps;
  return conversation;
}

/**
 * Deletes a conversation and its messages; with `withMemories`, also the memories drawn from it
 * (keeping consolidation's versions whole: see `relinkAfterRemoval`).
 */
export function deleteConversation(
  db: DimmemDb,
  id: string,
  options: MemoryRemovalOptions,
): Promise<RemovedMemories> {
  return withWriteTransaction(
    db,
    ['conversations', 'messages', 'memories'],
    async (transaction) => {
      const messages = transaction.objectStore('messages');
      const messageKeys = await messages.index('by-conversation').getAllKeys(conversationRange(id));
      const batch = requestBatch();
      batch.add(transaction.objectStore('conversations').delete(id));
      batch.addAll(messageKeys, (key) => messages.delete(key));
      await batch.done();
      const memories = transaction.objectStore('memories');
      return removeMemoriesByIndex(
        memories,
        'by-conversation',
        id,
        'conversation-deleted',
        options,
      );
    },
  );
}
