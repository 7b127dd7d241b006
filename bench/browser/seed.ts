import { deleteDB } from 'idb';

import type { Conversation, Message } from '../../src/core/conversation';
import { generateMemoryRecords, writeMemoriesViaRepository } from './benchmarkHooks';
import { saveConversation } from '../../src/store/conversations/conversationRepository';
import { DB_NAME, openDimmemDb } from '../../src/store/db/db';
import type { MemoryRecord } from '../../src/store/db/records';
import type { GenerateInput } from './protocol';
import type { SeedOutput } from './tableProtocol';

/** Two LoCoMo speakers: generated memories come from their recorded answers. */
const participants = ['Caroline', 'Melanie'];

/**
 * One conversation per generated conversation id, holding every source message its memories cite
 * (in time order), so the table's conversation column and filter and the detail panel's source
 * message work as after a real import.
 */
function conversationsOf(records: readonly MemoryRecord[]): Conversation[] {
  const byConversation = new Map<string, Map<string, Message>>();
  for (const record of records) {
    let messages = byConversation.get(record.conversationId);
    if (!messages) {
      messages = new Map();
      byConversation.set(record.conversationId, messages);
    }
    if (messages.has(record.messageId)) continue;
    messages.set(record.messageId, {
      id: record.messageId,
      role: 'user',
      speaker: participants[messages.size % participants.length]!,
      text: record.messageText,
      timestamp: record.messageTimestamp,
      sourceRef: `line ${messages.size + 1}`,
    });
  }
  return [...byConversation].map(([id, messages], n) => ({
    id,
    title: `Benchmark chat ${n + 1}`,
    participants,
    messages: [...messages.values()].sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0)),
    format: 'dimmem-lines',
    sourceName: 'benchmark data',
    sourceRef: id,
  }));
}

async function seed(input: GenerateInput): Promise<SeedOutput> {
  const records = generateMemoryRecords(input.count, {
    templates: input.templates,
    vocabulary: input.vocabulary,
    seed: 1,
  });
  const conversations = conversationsOf(records);
  await deleteDB(DB_NAME);
  const db = await openDimmemDb();
  try {
    const start = performance.now();
    const importedAt = Date.UTC(2025, 0, 1);
    for (const conversation of conversations) {
      await saveConversation(db, conversation, `bench-${conversation.id}`, importedAt);
    }
    await writeMemoriesViaRepository(db, records);
    return {
      memories: records.length,
      conversations: conversations.length,
      messages: conversations.reduce((sum, conversation) => sum + conversation.messages.length, 0),
      writeMs: performance.now() - start,
    };
  } finally {
    db.close();
  }
}

async function bareGetAll(): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const db = await openDimmemDb();
  try {
    const start = performance.now();
    const memories = await db.getAll('memories');
    const ms = performance.now() - start;
    if (memories.length === 0) throw new Error('the app database holds no memories');
    return ms;
  } finally {
    db.close();
  }
}

window.dimmemTableSeed = { seed, bareGetAll };
