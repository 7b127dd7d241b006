import { beforeEach, describe, expect, it } from 'vitest';

import { conversationContentHash } from '../../../../src/store/conversations/contentHash';
import {
  deleteConversation,
  getMessages,
  loadConversation,
  saveConversation,
} from '../../../../src/store/conversations/conversationRepository';
import type { DimmemDb } from '../../../../src/store/db/db';
import {
  editMemory,
  loadAllMemories,
  putMemories,
} from '../../../../src/store/memories/memoryRepository';
import type { MemoryRecord, RunRecord, WindowRecord } from '../../../../src/store/db/records';
import {
  commitWindow,
  createRun,
  getRun,
  getWindows,
} from '../../../../src/store/runs/runRepository';
import { pendingWindow } from '../../../../src/store/runs/runPlan';
import {
  StorageError,
  isQuotaExceeded,
  toStorageError,
} from '../../../../src/store/db/storageErrors';
import { useStorageStore } from '../../../../src/store/storage/storageStore';
import { withWriteTransaction } from '../../../../src/store/db/transactions';
import {
  freshDb,
  locomoConversation,
  resetStores,
  seedConversation,
} from '../../../support/storeFixtures';

let db: DimmemDb;
beforeEach(async () => {
  resetStores();
  db = await freshDb();
});

function run(id: string, windowCount: number): RunRecord {
  return {
    id,
    conversationIds: ['c'],
    modelId: 'DimMem-4B-q4f16_1',
    engineKind: 'webllm',
    settings: {
      window: { size: 15, overlap: 3 },
      budget: null,
      promptVariant: 'card',
      maxTokens: 3000,
    },
    status: 'running',
    createdAt: 1,
    startedAt: 1,
    finishedAt: null,
    windowCount,
    totals: { promptTokens: 0, completionTokens: 0, engineSeconds: 0, memoryCount: 0 },
    error: null,
  };
}

function window(runId: string, index: number, patch: Partial<WindowRecord> = {}): WindowRecord {
  const planned = {
    conversationId: 'c',
    windowInConversation: index,
    messageIds: ['m0'],
    overlap: 0,
    promptTokens: null,
    maxTokens: 3000,
  };
  return { ...pendingWindow(runId, index, planned), ...patch };
}

function memory(runId: string, windowIndex: number, position: number): MemoryRecord {
  return {
    id: `${runId}:${windowIndex}:${position}`,
    conversationId: 'c',
    runId,
    windowIndex,
    modelId: 'DimMem-4B-q4f16_1',
    origin: 'extracted',
    edited: false,
    createdAt: 5,
    messageId: 'm0',
    messageText: 'hello',
    messageTimestamp: Date.UTC(2023, 3, 23),
    sourceIdInWindow: 1,
    content: `memory ${position}`,
    memoryType: 'fact',
    time: '',
    timeStart: null,
    timeEnd: null,
    location: '',
    reason: '',
    purpose: '',
    keywords: ['k'],
  };
}

const done = (runId: string, index: number, memoryCount: number) =>
  window(runId, index, {
    status: 'done',
    rawAnswer: '{"memories":[]}',
    finishReason: 'stop',
    usage: { promptTokens: 1000, completionTokens: 200 },
    timings: { prefillTokensPerSecond: 500, decodeTokensPerSecond: 20, totalSeconds: 12 },
    memoryCount,
  });

describe('atomic window commit', () => {
  it('stores the window status and its memories together and updates the run totals', async () => {
    await createRun(db, run('r', 2), [window('r', 0), window('r', 1)]);
    const { run: updated } = await commitWindow(db, done('r', 0, 2), [
      memory('r', 0, 0),
      memory('r', 0, 1),
    ]);
    expect(updated.totals).toEqual({
      promptTokens: 1000,
      completionTokens: 200,
      engineSeconds: 12,
      memoryCount: 2,
    });
    expect((await getWindows(db, 'r')).map((w) => w.status)).toEqual(['done', 'pending']);
    expect(await loadAllMemories(db)).toHaveLength(2);
  });

  it('leaves nothing of a window behind when the commit fails midway', async () => {
    await createRun(db, run('r', 1), [window('r', 0)]);
    const broken = { ...memory('r', 0, 2), id: undefined } as unknown as MemoryRecord;
    const attempt = commitWindow(db, done('r', 0, 3), [
      memory('r', 0, 0),
      memory('r', 0, 1),
      broken,
    ]);
    await expect(attempt).rejects.toBeInstanceOf(StorageError);
    expect(await loadAllMemories(db)).toEqual([]);
    expect((await getWindows(db, 'r'))[0]?.status).toBe('pending');
    expect((await getRun(db, 'r'))?.totals.memoryCount).toBe(0);
  });

  it('replaces the memories of a committed-again window instead of duplicating them', async () => {
    await createRun(db, run('r', 1), [window('r', 0)]);
    await commitWindow(
      db,
      done('r', 0, 3),
      [0, 1, 2].map((i) => memory('r', 0, i)),
    );
    await commitWindow(
      db,
      done('r', 0, 2),
      [0, 1].map((i) => memory('r', 0, i)),
    );
    expect((await loadAllMemories(db)).map((m) => m.id)).toEqual(['r:0:0', 'r:0:1']);
    expect((await getRun(db, 'r'))?.totals.memoryCount).toBe(2);
  });
});

describe('conversations', () => {
  it('round-trips a conversation with its messages in order', async () => {
    const conversation = locomoConversation();
    await saveConversation(db, conversation, await conversationContentHash(conversation), 10);
    expect(await loadConversation(db, conversation.id)).toEqual(conversation);
  });

  it('replacing a conversation leaves none of its old messages', async () => {
    const conversation = seedConversation();
    await saveConversation(db, conversation, 'h1', 1);
    const shorter = { ...conversation, messages: conversation.messages.slice(0, 3) };
    await saveConversation(db, shorter, 'h2', 2);
    expect((await getMessages(db, conversation.id)).map((m) => m.id)).toEqual(['m0', 'm1', 'm2']);
  });

  it('deletes a conversation with or without the memories drawn from it', async () => {
    const conversation = seedConversation();
    await saveConversation(db, conversation, 'h', 1);
    await putMemories(db, [{ ...memory('r', 0, 0), conversationId: conversation.id }]);
    await deleteConversation(db, conversation.id, { withMemories: false });
    expect(await loadConversation(db, conversation.id)).toBeNull();
    expect(await loadAllMemories(db)).toHaveLength(1);
    await saveConversation(db, conversation, 'h', 1);
    expect(await deleteConversation(db, conversation.id, { withMemories: true })).toEqual({
      memoryIds: ['r:0:0'],
      relinked: [],
    });
    expect(await loadAllMemories(db)).toEqual([]);
  });

  it('recognises the same messages whatever the title or source', async () => {
    const conversation = seedConversation();
    const renamed = { ...conversation, id: 'other', title: 'Pasted', sourceName: 'pasted text' };
    const changed = {
      ...conversation,
      messages: conversation.messages.map((m, i) => (i === 3 ? { ...m, text: `${m.text}!` } : m)),
    };
    expect(await conversationContentHash(renamed)).toBe(
      await conversationContentHash(conversation),
    );
    expect(await conversationContentHash(changed)).not.toBe(
      await conversationContentHash(conversation),
    );
  });
});

describe('memory edits', () => {
  it('marks an edit as edited and refuses one the schema rejects', async () => {
    await putMemories(db, [memory('r', 0, 0)]);
    const edited = await editMemory(db, 'r:0:0', { content: 'corrected', keywords: ['a', 'b'] });
    expect(edited).toMatchObject({ content: 'corrected', keywords: ['a', 'b'], edited: true });
    await expect(
      editMemory(db, 'r:0:0', { memoryType: 'opinion' as MemoryRecord['memoryType'] }),
    ).rejects.toThrow();
    expect((await loadAllMemories(db))[0]?.content).toBe('corrected');
    // A validation error is the caller's mistake, not a storage problem.
    expect(useStorageStore.getState().problem).toBeNull();
  });
});

describe('storage failures', () => {
  it('turns a full disk into a clear message and a quota flag, and rolls the write back', async () => {
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    expect(isQuotaExceeded(quota)).toBe(true);
    await expect(
      withWriteTransaction(db, ['memories'], async (transaction) => {
        await transaction.objectStore('memories').put(memory('r', 0, 0));
        throw quota;
      }),
    ).rejects.toMatchObject({ problem: 'quota' });
    expect(await loadAllMemories(db)).toEqual([]);
    const state = useStorageStore.getState();
    expect(state.quotaExceeded).toBe(true);
    expect(state.problem?.message).toMatch(/no more storage/);

    await putMemories(db, [memory('r', 0, 0)]);
    expect(useStorageStore.getState().quotaExceeded).toBe(false);
  });

  it('names the storage problem for other browser errors', () => {
    expect(toStorageError(new DOMException('x', 'VersionError')).problem).toBe('newer-version');
    expect(toStorageError(new DOMException('x', 'InvalidStateError')).problem).toBe('unavailable');
    expect(toStorageError(new Error('disk on fire')).message).toBe('Storage failed: disk on fire');
  });
});
