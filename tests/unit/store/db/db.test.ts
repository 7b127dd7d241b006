import { openDB } from 'idb';
import { beforeEach, describe, expect, it } from 'vitest';

import type { DimmemSchema } from '../../../../src/store/db/db';
import {
  DB_VERSION,
  DB_VERSIONS,
  SETTING_KEYS,
  openDimmemDb,
  upgradeDimmemDb,
} from '../../../../src/store/db/db';
import { StorageError, toStorageError } from '../../../../src/store/db/storageErrors';
import { freshDb, resetStores } from '../../../support/storeFixtures';

let name = '';
beforeEach(() => {
  resetStores();
  name = `db-test-${Math.random().toString(36).slice(2)}`;
});

/** A memory as the first release stored it (no origin, no edited flag). */
function v1Memory(id: string, runId: string, windowIndex: number) {
  return {
    id,
    conversationId: 'dimmem:abc',
    runId,
    windowIndex,
    modelId: 'DimMem-4B-q4f16_1',
    createdAt: 1_700_000_000_000,
    messageId: 'm1',
    messageText: 'any historical sites in Paris',
    messageTimestamp: Date.UTC(2023, 3, 23, 8, 57, 1),
    sourceIdInWindow: 2,
    content: 'The user wants to visit historical sites in Paris.',
    memoryType: 'profile',
    time: '2023-04-24',
    timeStart: Date.UTC(2023, 3, 24),
    timeEnd: Date.UTC(2023, 3, 24),
    location: 'Paris',
    reason: '',
    purpose: '',
    keywords: ['Paris', 'history'],
  };
}

/** Opens `name` exactly as version 1 of the app did. */
function openAsV1() {
  return openDB<DimmemSchema>(name, DB_VERSIONS.v1Initial, {
    upgrade: (db, oldVersion, _newVersion, transaction) =>
      void upgradeDimmemDb(db, oldVersion, DB_VERSIONS.v1Initial, transaction),
  });
}

describe('database schema', () => {
  it('creates every store with the indexes the app queries by', async () => {
    const db = await freshDb();
    expect([...db.objectStoreNames].sort()).toEqual(
      [
        'consolidationPairs',
        'conversations',
        'memories',
        'memoryVectors',
        'messages',
        'questions',
        'runs',
        'settings',
        'windows',
      ].sort(),
    );
    expect([...db.transaction('questions').store.indexNames]).toEqual(['by-asked']);
    expect([...db.transaction('memoryVectors').store.indexNames]).toEqual(['by-model']);
    expect([...db.transaction('consolidationPairs').store.indexNames].sort()).toEqual([
      'by-newer',
      'by-older',
    ]);
    const memories = db.transaction('memories').store;
    expect([...memories.indexNames].sort()).toEqual(
      [
        'by-conversation',
        'by-created',
        'by-keyword',
        'by-memory-type',
        'by-message-time',
        'by-run',
        'by-time-end',
        'by-time-start',
        'by-window',
      ].sort(),
    );
    expect(memories.index('by-keyword').multiEntry).toBe(true);
    expect([...db.transaction('messages').store.indexNames].sort()).toEqual([
      'by-conversation',
      'by-time',
    ]);
    expect([...db.transaction('conversations').store.indexNames].sort()).toEqual([
      'by-hash',
      'by-imported',
    ]);
    expect(db.version).toBe(DB_VERSION);
    db.close();
  });
});

describe('upgrading a database written by the previous version', () => {
  it('keeps v3 memories, questions and vectors as they were and adds the review queue', async () => {
    const v3 = await openDB<DimmemSchema>(name, DB_VERSIONS.v3QuestionsAndVectors, {
      upgrade: (db, oldVersion, _newVersion, transaction) =>
        void upgradeDimmemDb(db, oldVersion, DB_VERSIONS.v3QuestionsAndVectors, transaction),
    });
    expect([...v3.objectStoreNames]).not.toContain('consolidationPairs');
    const memory = {
      ...v1Memory('r1:0:0', 'r1', 0),
      memoryType: 'profile' as const,
      origin: 'extracted' as const,
      edited: true,
    };
    await v3.put('memories', memory);
    await v3.put('questions', {
      id: 'q1',
      question: 'where?',
      askedAt: 1,
      askedOn: '2023-05-01',
      details: {},
    });
    v3.close();

    const db = await openDimmemDb({ name });
    expect(db.version).toBe(DB_VERSION);
    // A v3 memory has no version fields: it is a current memory, unchanged.
    expect(await db.get('memories', 'r1:0:0')).toEqual(memory);
    expect(await db.get('questions', 'q1')).toMatchObject({ question: 'where?' });
    expect(await db.count('consolidationPairs')).toBe(0);
    await db.put('consolidationPairs', {
      id: 'a~b',
      olderId: 'a',
      newerId: 'b',
      kind: 'duplicate',
      similarity: 1,
      method: 'lexical',
      rule: 'exact',
      proposal: null,
      status: 'waiting-for-model',
    });
    expect(await db.getAllFromIndex('consolidationPairs', 'by-newer', 'b')).toHaveLength(1);
    db.close();
  });

  it('keeps v1 memories, fills the fields v2 added and makes them queryable by window', async () => {
    const v1 = await openAsV1();
    expect([...v1.transaction('memories').store.indexNames]).not.toContain('by-window');
    await v1.put('memories', v1Memory('r1:0:0', 'r1', 0) as never);
    await v1.put('memories', v1Memory('r1:0:1', 'r1', 0) as never);
    await v1.put('memories', v1Memory('r1:1:0', 'r1', 1) as never);
    v1.close();

    const db = await openDimmemDb({ name });
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames]).toContain('questions');
    const window0 = await db.getAllFromIndex('memories', 'by-window', ['r1', 0]);
    expect(window0.map((memory) => memory.id)).toEqual(['r1:0:0', 'r1:0:1']);
    expect(window0[0]).toMatchObject({
      origin: 'extracted',
      edited: false,
      content: v1Memory('', '', 0).content,
    });
    expect(await db.getAllFromIndex('memories', 'by-keyword', 'Paris')).toHaveLength(3);
    expect(await db.get('settings', SETTING_KEYS.v2UnreadableMemoriesDropped)).toBeUndefined();
    db.close();
  });

  it('validates old records with zod: an unreadable v1 memory is removed and counted', async () => {
    const v1 = await openAsV1();
    await v1.put('memories', v1Memory('good', 'r1', 0) as never);
    await v1.put('memories', { ...v1Memory('bad', 'r1', 0), memoryType: 'opinion' } as never);
    v1.close();

    const db = await openDimmemDb({ name });
    expect((await db.getAll('memories')).map((memory) => memory.id)).toEqual(['good']);
    expect(await db.get('settings', SETTING_KEYS.v2UnreadableMemoriesDropped)).toEqual({
      key: SETTING_KEYS.v2UnreadableMemoriesDropped,
      value: 1,
    });
    db.close();
  });

  it('waits for a tab holding the old version, says so, and finishes once it closes', async () => {
    const v1 = await openAsV1();
    let blocked = false;
    const opening = openDimmemDb({ name, onBlocked: () => (blocked = true) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(blocked).toBe(true);
    v1.close();
    const db = await opening;
    expect(db.version).toBe(DB_VERSION);
    db.close();
  });

  it('closes its own connection when a newer version opens elsewhere, and reports it', async () => {
    let told = false;
    const db = await openDimmemDb({ name, onVersionChange: () => (told = true) });
    const newer = await openDB(name, DB_VERSION + 1);
    expect(told).toBe(true);
    newer.close();
    void db;
  });

  it('explains a database newer than the app instead of failing obscurely', async () => {
    const newer = await openDB(name, DB_VERSION + 1);
    newer.close();
    const error = await openDimmemDb({ name }).catch((caught: unknown) => caught);
    const storageError = toStorageError(error);
    expect(storageError).toBeInstanceOf(StorageError);
    expect(storageError.problem).toBe('newer-version');
    expect(storageError.message).toMatch(/newer version of DimMem/);
  });
});
