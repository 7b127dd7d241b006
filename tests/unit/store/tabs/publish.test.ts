import { beforeEach, describe, expect, it } from 'vitest';

import { writeMemoriesViaRepository } from '../../../../bench/browser/benchmarkHooks';
import { conversationContentHash } from '../../../../src/store/conversations/contentHash';
import { saveConversation } from '../../../../src/store/conversations/conversationRepository';
import { createConversationService } from '../../../../src/store/conversations/conversationService';
import { useConversationsStore } from '../../../../src/store/conversations/conversationsStore';
import type { DimmemDb } from '../../../../src/store/db/db';
import { loadAllStores } from '../../../../src/store/db/storeLoader';
import { useMemoriesStore } from '../../../../src/store/memories/memoriesStore';
import { loadAllMemories } from '../../../../src/store/memories/memoryRepository';
import { createMemoryService } from '../../../../src/store/memories/memoryService';
import type { Change } from '../../../../src/store/tabs/changes';
import { MAX_BROADCAST_RECORDS, wireForm } from '../../../../src/store/tabs/changes';
import { createPublisher } from '../../../../src/store/tabs/publish';
import { recordingChannel } from '../../../support/recordingChannel';
import {
  freshDb,
  generatedRecords,
  resetStores,
  seedConversation,
  until,
} from '../../../support/storeFixtures';

const memoriesShown = () =>
  useMemoriesStore
    .getState()
    .memories.map((memory) => `${memory.id} ${memory.content}`)
    .sort();

let db: DimmemDb;
beforeEach(async () => {
  resetStores();
  db = await freshDb();
});

describe('publishing a change', () => {
  it('leaves another tab, fed only by the channel, with the stores of the tab that changed', async () => {
    const records = generatedRecords(3000);
    const conversation = { ...seedConversation(), id: records[0]!.conversationId };
    await saveConversation(db, conversation, await conversationContentHash(conversation), 5);
    await writeMemoriesViaRepository(db, records, 1000);
    await loadAllStores(db);
    const before = useMemoriesStore.getState().memories;
    const beforeConversations = useConversationsStore.getState().conversations;

    // This tab edits one memory, deletes 2,500 (more than is worth posting) and a conversation.
    const tab = recordingChannel();
    const deps = {
      db: async () => db,
      ...createPublisher({ db: async () => db, channel: tab.channel }),
    };
    const memories = createMemoryService(deps);
    const conversations = createConversationService(deps);
    const edited = await memories.saveEdit(records[2999]!.id, { content: 'Moved to Lisbon.' });
    expect(useMemoriesStore.getState().byId.get(edited.id)?.content).toBe('Moved to Lisbon.');
    await memories.remove(records.slice(0, 2500).map((record) => record.id));
    await conversations.remove(conversation.id, { withMemories: true });
    expect(useConversationsStore.getState().conversations).toEqual([]);
    const shownHere = memoriesShown();
    expect(shownHere).toEqual(
      (await loadAllMemories(db)).map((memory) => `${memory.id} ${memory.content}`).sort(),
    );
    expect(tab.sent.map((message) => message.type)).toEqual([
      'memories-upserted',
      'reload',
      'conversation-removed',
    ]);

    // The other tab: the stores as they were, then every message through the same reducer.
    useMemoriesStore.getState().setAll(before);
    useConversationsStore.getState().setAll(beforeConversations);
    const other = recordingChannel();
    const stop = createPublisher({ db: async () => db, channel: other.channel }).listen();
    for (const message of tab.sent) other.deliver(message);
    // The reload of memories reads IndexedDB: wait for it.
    await until(() => memoriesShown().length === shownHere.length);
    stop();
    expect(memoriesShown()).toEqual(shownHere);
    expect(useMemoriesStore.getState().byId.get(edited.id)?.content).toBe('Moved to Lisbon.');
    expect(useConversationsStore.getState().conversations).toEqual([]);
  });

  it('posts a change of up to the limit as it is, and a larger one as a reload of its stores', () => {
    const ids = (count: number) => Array.from({ length: count }, (_, i) => `m${i}`);
    const small: Change = { type: 'memories-removed', ids: ids(MAX_BROADCAST_RECORDS) };
    expect(wireForm(small)).toEqual([small]);
    expect(wireForm({ type: 'memories-removed', ids: ids(MAX_BROADCAST_RECORDS + 1) })).toEqual([
      { type: 'reload', what: 'memories' },
    ]);
    expect(
      wireForm({
        type: 'run-removed',
        runId: 'run-1',
        memoryIds: ids(MAX_BROADCAST_RECORDS + 1),
      }),
    ).toEqual([
      { type: 'reload', what: 'runs' },
      { type: 'reload', what: 'memories' },
    ]);
    expect(
      wireForm({
        type: 'memory-versions',
        memories: [],
        removedIds: ids(MAX_BROADCAST_RECORDS + 1),
      }),
    ).toEqual([{ type: 'reload', what: 'memories' }]);
    const pairs = ids(MAX_BROADCAST_RECORDS + 1);
    expect(wireForm({ type: 'consolidation-pairs', put: [], removedIds: pairs })).toEqual([
      { type: 'reload', what: 'consolidation' },
    ]);
  });
});
