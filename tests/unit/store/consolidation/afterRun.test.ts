import { beforeEach, describe, expect, it } from 'vitest';

import { useConsolidationStore } from '../../../../src/store/consolidation/consolidationStore';
import { conversationContentHash } from '../../../../src/store/conversations/contentHash';
import { saveConversation } from '../../../../src/store/conversations/conversationRepository';
import type { DimmemDb } from '../../../../src/store/db/db';
import { useMemoriesStore } from '../../../../src/store/memories/memoriesStore';
import { loadAllMemories } from '../../../../src/store/memories/memoryRepository';
import { seedReplayEngine } from '../../../support/loadedReplayEngine';
import { freshDb, resetStores, seedConversation, until } from '../../../support/storeFixtures';
import { testRunService } from '../../../support/testRunService';
import { openTab } from './consolidationTestSupport';

let db: DimmemDb;
beforeEach(async () => {
  resetStores();
  db = await freshDb();
});

describe('detection after a run', () => {
  it('merges the exact duplicates a second run of the same chat wrote, when the setting is on', async () => {
    const conversation = seedConversation();
    await saveConversation(db, conversation, await conversationContentHash(conversation), 1);
    const tab = openTab(db, { model: null });
    useConsolidationStore.setState({ autoMergeExact: true });
    let runCounter = 0;
    const ended: string[] = [];
    const runs = testRunService(db, await seedReplayEngine(), undefined, {
      publish: tab.publisher.publish,
      now: () => 1_000 + runCounter,
      newRunId: () => `run-${(runCounter += 1)}`,
      // As appServices wires it.
      onRunEnded: (run) => {
        ended.push(run.status);
        void tab.service.detect();
      },
    });
    const request = { conversationIds: [conversation.id], settings: { budget: null } };
    await (
      await runs.start(request)
    ).finished;
    await until(() => ended.length === 1 && useConsolidationStore.getState().phase === 'idle');
    expect(useMemoriesStore.getState().memories).toHaveLength(16);
    // The seed's memories hold no duplicate; one pair waits for a model.
    expect(useConsolidationStore.getState().pairs.map((pair) => pair.rule)).toEqual([null]);

    await (
      await runs.start(request)
    ).finished;
    await until(() => ended.length === 2 && useConsolidationStore.getState().phase === 'idle');
    await until(() => useMemoriesStore.getState().earlier.size === 32);
    // Each memory of the second run merged with its twin: 16 current, 32 earlier versions.
    expect(useMemoriesStore.getState().memories).toHaveLength(16);
    expect(
      useMemoriesStore.getState().memories.every((memory) => memory.mergedFrom?.length === 2),
    ).toBe(true);
    expect(await loadAllMemories(db)).toHaveLength(48);
  });
});
