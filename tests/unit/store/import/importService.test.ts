import { beforeEach, describe, expect, it } from 'vitest';

import {
  listConversations,
  loadConversation,
} from '../../../../src/store/conversations/conversationRepository';
import { useConversationsStore } from '../../../../src/store/conversations/conversationsStore';
import type { DimmemDb } from '../../../../src/store/db/db';
import { createImportService } from '../../../../src/store/import/importService';
import { createPublisher } from '../../../../src/store/tabs/publish';
import { freshDb, resetStores, seedConversation } from '../../../support/storeFixtures';

let db: DimmemDb;
beforeEach(async () => {
  resetStores();
  db = await freshDb();
});

/** The service as the page builds it, on this test's database, alone (no other tabs). */
const service = () =>
  createImportService({
    db: () => Promise.resolve(db),
    publish: createPublisher({ db: () => Promise.resolve(db), channel: null }).publish,
    now: () => 42,
  });
async function importOnce() {
  const conversation = seedConversation();
  await service().save(await service().check([conversation]), () => 'skip');
  return conversation;
}

describe('importing the same conversation again', () => {
  it('saves a new conversation as it is', async () => {
    const conversation = seedConversation();
    const [candidate] = await service().check([conversation]);
    expect(candidate?.match).toBeNull();
    const outcome = await service().save([candidate!], () => 'skip');
    expect(outcome.saved.map((record) => record.id)).toEqual([conversation.id]);
    expect(useConversationsStore.getState().conversations).toHaveLength(1);
  });

  it('recognises identical content under another name, and skip changes nothing', async () => {
    const conversation = await importOnce();
    const pasted = { ...conversation, id: 'dimmem:pasted', sourceName: 'pasted text', title: 'x' };
    const [candidate] = await service().check([pasted]);
    expect(candidate).toMatchObject({ match: 'same-content', existing: { id: conversation.id } });
    const outcome = await service().save([candidate!], () => 'skip');
    expect(outcome.skipped.map((record) => record.id)).toEqual([conversation.id]);
    expect((await listConversations(db)).map((record) => record.id)).toEqual([conversation.id]);
  });

  it('replace keeps the stored id (so its memories stay linked) and takes the new content', async () => {
    const conversation = await importOnce();
    const continued = {
      ...conversation,
      title: 'Trip planning, continued',
      messages: [
        ...conversation.messages,
        { ...conversation.messages[0]!, id: 'm14', text: 'one more' },
      ],
    };
    const [candidate] = await service().check([continued]);
    expect(candidate?.match).toBe('same-source');
    await service().save([candidate!], () => 'replace');
    const stored = await listConversations(db);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      id: conversation.id,
      title: 'Trip planning, continued',
      messageCount: 15,
    });
    expect((await loadConversation(db, conversation.id))?.messages.at(-1)?.text).toBe('one more');
  });

  it('keep both stores a second copy under a new id and numbered title', async () => {
    const conversation = await importOnce();
    for (let i = 0; i < 2; i += 1) {
      await service().save(await service().check([conversation]), () => 'keep-both');
    }
    const stored = await listConversations(db);
    expect(stored.map((record) => record.id).sort()).toEqual(
      [conversation.id, `${conversation.id}~2`, `${conversation.id}~3`].sort(),
    );
    expect(stored.find((record) => record.id.endsWith('~3'))?.title).toBe(
      `${conversation.title} (3)`,
    );
    expect((await loadConversation(db, `${conversation.id}~2`))?.messages).toEqual(
      conversation.messages,
    );
  });
});
