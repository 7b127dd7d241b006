import { beforeEach, describe, expect, it } from 'vitest';

import { memoryHistory } from '../../../../src/store/consolidation/consolidationStore';
import { createConversationService } from '../../../../src/store/conversations/conversationService';
import type { DimmemDb } from '../../../../src/store/db/db';
import type { MemoryRecord } from '../../../../src/store/db/records';
import { useMemoriesStore } from '../../../../src/store/memories/memoriesStore';
import { loadAllMemories } from '../../../../src/store/memories/memoryRepository';
import { createMemoryService } from '../../../../src/store/memories/memoryService';
import { commitWindow, createRun, deleteRun } from '../../../../src/store/runs/runRepository';
import type { Tab } from './consolidationTestSupport';
import {
  fixtureDb,
  fixtureRecords,
  openTab,
  otherTabAfter,
  snapshot,
} from './consolidationTestSupport';

const MERGED_BERLIN = 'consolidated-1c067b4df05e07';
const BERLIN = 'mem-berlin-1~mem-berlin-2';

const isCurrent = (id: string) => useMemoriesStore.getState().byId.has(id);
const stored = async (db: DimmemDb) =>
  new Map((await loadAllMemories(db)).map((memory) => [memory.id, memory]));

let db: DimmemDb;
let tab: Tab;
/** Berlin merged: mem-berlin-1 (conversation chatgpt:c1) and mem-berlin-2 (claude:c2, the newer). */
beforeEach(async () => {
  db = await fixtureDb();
  tab = openTab(db);
  await tab.service.detect();
  await tab.service.accept(BERLIN);
});

describe('deleting what a merged memory is made of', () => {
  it("keeps the merged memory when an original's conversation goes, and its history says so", async () => {
    const initial = { records: fixtureRecords() };
    const conversations = createConversationService({
      db: async () => db,
      publish: tab.publisher.publish,
    });
    await conversations.remove('chatgpt:c1', { withMemories: true });
    const merged = useMemoriesStore.getState().byId.get(MERGED_BERLIN)!;
    expect(merged.content).toBe('The user lives in Berlin.');
    expect(merged.removedOriginals).toEqual([
      expect.objectContaining({
        id: 'mem-berlin-1',
        content: 'The user lives in Berlin.',
        reason: 'conversation-deleted',
      }),
    ]);
    expect(memoryHistory(MERGED_BERLIN).map((memory) => memory.id)).toEqual(['mem-berlin-2']);
    expect((await stored(db)).get(MERGED_BERLIN)?.removedOriginals).toHaveLength(1);
    // Another tab, fed only by the posts, shows the same.
    const here = snapshot();
    expect(await otherTabAfter(db, initial, tab.sent)).toEqual(here);
  });

  it("makes the originals current again when the merged memory's conversation goes", async () => {
    const conversations = createConversationService({
      db: async () => db,
      publish: tab.publisher.publish,
    });
    // The merged memory sits on its newest original's conversation (claude:c2).
    expect(useMemoriesStore.getState().byId.get(MERGED_BERLIN)?.conversationId).toBe('claude:c2');
    await conversations.remove('claude:c2', { withMemories: true });
    expect(isCurrent(MERGED_BERLIN)).toBe(false);
    // Never hidden behind a memory that is gone.
    expect(useMemoriesStore.getState().byId.get('mem-berlin-1')?.supersededBy).toBeUndefined();
    expect(useMemoriesStore.getState().earlier.size).toBe(0);
    const all = await stored(db);
    expect(all.get('mem-berlin-1')?.supersededBy).toBeUndefined();
    expect([...all.values()].filter((memory) => memory.supersededBy)).toEqual([]);
  });

  it('does the same when memories are deleted by hand or with their run', async () => {
    const memories = createMemoryService({ db: async () => db, publish: tab.publisher.publish });
    await memories.remove(['mem-berlin-2']);
    expect(useMemoriesStore.getState().byId.get(MERGED_BERLIN)?.removedOriginals).toEqual([
      expect.objectContaining({ id: 'mem-berlin-2', reason: 'memory-deleted' }),
    ]);
    await memories.remove([MERGED_BERLIN]);
    expect(isCurrent('mem-berlin-1')).toBe(true);

    // Every fixture memory is on the run `imported`: deleting it with its memories leaves none.
    const { memoryIds, relinked } = await deleteRun(db, 'imported', { withMemories: true });
    expect(memoryIds.length).toBeGreaterThan(0);
    expect(relinked).toEqual([]);
    expect(await loadAllMemories(db)).toEqual([]);
  });
});

describe('re-extracting a window', () => {
  it('keeps the merged memory on it and notes the originals the new attempt replaced', async () => {
    // The fixture's memories are all on window 0 of the run `imported`.
    const window = (status: 'pending' | 'done') => ({
      runId: 'imported',
      index: 0,
      conversationId: 'chatgpt:c1',
      windowInConversation: 0,
      messageIds: ['m0'],
      overlap: 0,
      promptTokens: null,
      maxTokens: 512,
      status,
      rawAnswer: null,
      finishReason: null,
      usage: null,
      timings: null,
      error: null,
      memoryCount: 1,
      rejected: [],
      attempts: 1,
      startedAt: null,
      finishedAt: null,
    });
    await createRun(
      db,
      {
        id: 'imported',
        conversationIds: ['chatgpt:c1'],
        modelId: 'm',
        engineKind: 'replay',
        settings: {
          window: { size: 16, overlap: 0 },
          budget: null,
          promptVariant: 'card',
          maxTokens: 512,
        },
        status: 'running',
        createdAt: 1,
        startedAt: 1,
        finishedAt: null,
        windowCount: 1,
        totals: { promptTokens: 0, completionTokens: 0, engineSeconds: 0, memoryCount: 0 },
        error: null,
      },
      [window('pending')],
    );
    const berlin1 = (await stored(db)).get('mem-berlin-1')!;
    const { supersededBy: _merged, ...extractedAgain } = berlin1;
    const again: MemoryRecord = { ...extractedAgain, content: 'The user lives in Berlin-Mitte.' };
    const { relinked } = await commitWindow(db, window('done'), [again]);
    const all = await stored(db);
    expect(all.get(MERGED_BERLIN)?.mergedFrom).toEqual(['mem-berlin-1', 'mem-berlin-2']);
    // Both originals were the window's own: one replaced by the new attempt, one left out of it.
    expect(all.get(MERGED_BERLIN)?.removedOriginals).toEqual([
      expect.objectContaining({
        id: 'mem-berlin-1',
        content: 'The user lives in Berlin.',
        reason: 're-extracted',
      }),
      expect.objectContaining({ id: 'mem-berlin-2', reason: 're-extracted' }),
    ]);
    expect(relinked.map((memory) => memory.id)).toEqual([MERGED_BERLIN]);
    // The new extraction is a current memory of its own; the window's other memories are gone.
    expect(all.get('mem-berlin-1')).toEqual(again);
    expect(all.has('mem-berlin-2')).toBe(false);
  });
});
