import type { Conversation } from '../../core/conversation';
import {
  conversationRange,
  toConversationRecord,
  toMessageRecords,
} from '../conversations/conversationRepository';
import type { DimmemDb } from '../db/db';
import type { ConversationRecord, MessageRecord } from '../db/records';
import { requestBatch, withWriteTransaction } from '../db/transactions';

/**
 * A batch is written when it holds this many messages (or {@link BATCH_CONVERSATIONS}
 * conversations): few enough that a transaction stays short, many enough that per-transaction
 * costs vanish. A bare `idb` write in batches of the same size is the benchmark's baseline.
 */
export const BATCH_MESSAGES = 4000;
export const BATCH_CONVERSATIONS = 250;

/** A stored conversation as it was before this import replaced it, to put back on cancel. */
interface Replaced {
  record: ConversationRecord;
  messages: MessageRecord[];
}

/**
 * Writes an import's conversations in batched transactions, each holding whole conversations, and
 * remembers what it wrote so a cancelled import can be taken back entirely: conversations it
 * added are deleted, ones it replaced are restored.
 */
export class BatchWriter {
  private batch: { conversation: Conversation; contentHash: string; replaces: boolean }[] = [];
  private batchMessages = 0;
  private readonly added: string[] = [];
  private readonly replaced: Replaced[] = [];
  readonly saved: ConversationRecord[] = [];

  constructor(
    private readonly db: DimmemDb,
    private readonly importedAt: number,
  ) {}

  /** Queues a conversation; writes the batch when it is full. `replaces`: its id is stored. */
  async add(conversation: Conversation, contentHash: string, replaces: boolean): Promise<void> {
    this.batch.push({ conversation, contentHash, replaces });
    this.batchMessages += conversation.messages.length;
    if (this.batchMessages >= BATCH_MESSAGES || this.batch.length >= BATCH_CONVERSATIONS) {
      await this.flush();
    }
  }

  /** Writes what is queued, in one transaction. */
  async flush(): Promise<void> {
    const batch = this.batch;
    if (batch.length === 0) return;
    this.batch = [];
    this.batchMessages = 0;
    const records = await withWriteTransaction(
      this.db,
      ['conversations', 'messages'],
      async (transaction) => {
        const conversations = transaction.objectStore('conversations');
        const messages = transaction.objectStore('messages');
        const writes = requestBatch();
        const written: ConversationRecord[] = [];
        const backups: Replaced[] = [];
        for (const { conversation, contentHash, replaces } of batch) {
          if (replaces) {
            // Kept in memory until the import ends: a cancel puts it back as it was.
            const [old, oldMessages] = await Promise.all([
              conversations.get(conversation.id),
              messages.index('by-conversation').getAll(conversationRange(conversation.id)),
            ]);
            if (old) backups.push({ record: old, messages: oldMessages });
            writes.addAll(
              oldMessages.map(
                (message) => [message.conversationId, message.id] as [string, string],
              ),
              (key) => messages.delete(key),
            );
          }
          const record = toConversationRecord(conversation, contentHash, this.importedAt);
          writes.addAll(toMessageRecords(conversation), (message) => messages.put(message));
          writes.add(conversations.put(record));
          written.push(record);
        }
        await writes.done();
        return { written, backups };
      },
    );
    this.replaced.push(...records.backups);
    for (const record of records.written) {
      if (!records.backups.some((backup) => backup.record.id === record.id)) {
        this.added.push(record.id);
      }
      this.saved.push(record);
    }
  }

  /**
   * Takes back everything this import wrote, in one transaction: the stored data is as it was
   * before the import began.
   */
  async rollBack(): Promise<void> {
    this.batch = [];
    if (this.added.length === 0 && this.replaced.length === 0) return;
    await withWriteTransaction(this.db, ['conversations', 'messages'], async (transaction) => {
      const conversations = transaction.objectStore('conversations');
      const messages = transaction.objectStore('messages');
      const writes = requestBatch();
      const ids = [...this.added, ...this.replaced.map((backup) => backup.record.id)];
      const keyLists = await Promise.all(
        ids.map((id) => messages.index('by-conversation').getAllKeys(conversationRange(id))),
      );
      ids.forEach((id, n) => {
        writes.add(conversations.delete(id));
        writes.addAll(keyLists[n]!, (key) => messages.delete(key));
      });
      for (const backup of this.replaced) {
        writes.add(conversations.put(backup.record));
        writes.addAll(backup.messages, (message) => messages.put(message));
      }
      await writes.done();
    });
    this.added.length = 0;
    this.replaced.length = 0;
    this.saved.length = 0;
  }
}
