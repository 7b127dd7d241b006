import { openDB } from 'idb';
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';

import type {
  ConversationRecord,
  MemoryRecord,
  MessageRecord,
  RunRecord,
  SettingRecord,
  WindowRecord,
} from './records';
import { memoryRecordSchema } from './records';
import type { QuestionRecord } from './askRecords';
import type { ReviewPairRecord } from './consolidationRecords';
import type { MemoryVectorRecord } from './vectorRecords';

/** Database name used by the app; tests open their own names. */
export const DB_NAME = 'dimmem';

/**
 * Every schema version the app has shipped, oldest first. Never renumber or remove one: a browser
 * may still hold a database of any of them, and `upgradeDimmemDb` walks it forward step by step.
 */
export const DB_VERSIONS = {
  /** Stores and indexes of the first release. */
  v1Initial: 1,
  /**
   * Memories gain `origin` and `edited` (v1 memories were all model-extracted and unedited) and a
   * `by-window` index so a window's memories can be replaced as a unit; conversations gain a
   * `by-hash` index for re-import detection.
   */
  v2WindowIndexAndEdits: 2,
  /** The Ask box's question history and the memories' embedding vectors (new stores only). */
  v3QuestionsAndVectors: 3,
  /**
   * Consolidation's review queue (new store; memories gain optional version fields, which need no
   * migration: a record without them is a current memory).
   */
  v4ConsolidationPairs: 4,
} as const;
export const DB_VERSION = DB_VERSIONS.v4ConsolidationPairs;

/** One object store's key, value and indexes, as idb's DBSchema describes it. */
interface Store<Key extends IDBValidKey, Value, Indexes extends Record<string, IDBValidKey>> {
  key: Key;
  value: Value;
  indexes: Indexes;
}

export interface DimmemSchema extends DBSchema {
  conversations: Store<string, ConversationRecord, { 'by-hash': string; 'by-imported': number }>;
  /** Key [conversationId, message id]: message ids are only unique inside their conversation. */
  messages: Store<
    [string, string],
    MessageRecord,
    { 'by-conversation': [string, number]; 'by-time': number }
  >;
  runs: Store<string, RunRecord, { 'by-created': number; 'by-status': string }>;
  /** Key [runId, index]: a key range over one runId gives its windows in order. */
  windows: Store<[string, number], WindowRecord, { 'by-status': string }>;
  memories: Store<
    string,
    MemoryRecord,
    {
      'by-conversation': string;
      'by-run': string;
      'by-window': [string, number];
      'by-memory-type': string;
      'by-time-start': number;
      'by-time-end': number;
      'by-keyword': string;
      'by-message-time': number;
      'by-created': number;
    }
  >;
  settings: { key: string; value: SettingRecord };
  questions: Store<string, QuestionRecord, { 'by-asked': number }>;
  memoryVectors: Store<string, MemoryVectorRecord, { 'by-model': string }>;
  consolidationPairs: Store<string, ReviewPairRecord, { 'by-older': string; 'by-newer': string }>;
}

export type DimmemDb = IDBPDatabase<DimmemSchema>;
export type StoreName = StoreNames<DimmemSchema>;
type UpgradeTransaction = IDBPTransaction<DimmemSchema, StoreName[], 'versionchange'>;

/** Settings keys the store layer writes itself. */
export const SETTING_KEYS = {
  /** How many v1 memories could not be read during the v2 upgrade and were removed. */
  v2UnreadableMemoriesDropped: 'migration.v2.unreadableMemoriesDropped',
} as const;

/** A memory as v1 stored it: no origin, no edited flag. Old records are read through this. */
export const memoryRecordV1Schema = memoryRecordSchema.omit({ origin: true, edited: true });

function createV1Stores(db: DimmemDb): void {
  const conversations = db.createObjectStore('conversations', { keyPath: 'id' });
  conversations.createIndex('by-imported', 'importedAt');

  const messages = db.createObjectStore('messages', { keyPath: ['conversationId', 'id'] });
  messages.createIndex('by-conversation', ['conversationId', 'position']);
  messages.createIndex('by-time', 'timestamp');

  const runs = db.createObjectStore('runs', { keyPath: 'id' });
  runs.createIndex('by-created', 'createdAt');
  runs.createIndex('by-status', 'status');

  const windows = db.createObjectStore('windows', { keyPath: ['runId', 'index'] });
  windows.createIndex('by-status', 'status');

  const memories = db.createObjectStore('memories', { keyPath: 'id' });
  memories.createIndex('by-conversation', 'conversationId');
  memories.createIndex('by-run', 'runId');
  memories.createIndex('by-memory-type', 'memoryType');
  memories.createIndex('by-time-start', 'timeStart');
  memories.createIndex('by-time-end', 'timeEnd');
  memories.createIndex('by-keyword', 'keywords', { multiEntry: true });
  memories.createIndex('by-message-time', 'messageTimestamp');
  memories.createIndex('by-created', 'createdAt');

  db.createObjectStore('settings', { keyPath: 'key' });
}

function createV3Stores(db: DimmemDb): void {
  const questions = db.createObjectStore('questions', { keyPath: 'id' });
  questions.createIndex('by-asked', 'askedAt');
  const vectors = db.createObjectStore('memoryVectors', { keyPath: 'memoryId' });
  vectors.createIndex('by-model', 'modelId');
}

function createV4Stores(db: DimmemDb): void {
  const pairs = db.createObjectStore('consolidationPairs', { keyPath: 'id' });
  pairs.createIndex('by-older', 'olderId');
  pairs.createIndex('by-newer', 'newerId');
}

async function migrateToV2(transaction: UpgradeTransaction): Promise<void> {
  transaction.objectStore('conversations').createIndex('by-hash', 'contentHash');
  const memories = transaction.objectStore('memories');
  memories.createIndex('by-window', ['runId', 'windowIndex']);

  let dropped = 0;
  let cursor = await memories.openCursor();
  while (cursor) {
    const parsed = memoryRecordV1Schema.safeParse(cursor.value);
    if (parsed.success) {
      await cursor.update({ ...parsed.data, origin: 'extracted', edited: false });
    } else {
      // A record the app cannot read would break every view that lists it.
      dropped += 1;
      await cursor.delete();
    }
    cursor = await cursor.continue();
  }
  if (dropped > 0) {
    await transaction
      .objectStore('settings')
      .put({ key: SETTING_KEYS.v2UnreadableMemoriesDropped, value: dropped });
  }
}

/**
 * Brings a database from `oldVersion` up to `targetVersion`, one shipped version at a time.
 * Only IndexedDB requests are awaited inside, so the upgrade transaction stays alive throughout.
 */
export function upgradeDimmemDb(
  db: DimmemDb,
  oldVersion: number,
  targetVersion: number,
  transaction: UpgradeTransaction,
): Promise<void> {
  const steps: Promise<void>[] = [];
  const crosses = (version: number) => oldVersion < version && targetVersion >= version;
  if (crosses(DB_VERSIONS.v1Initial)) createV1Stores(db);
  if (crosses(DB_VERSIONS.v2WindowIndexAndEdits)) steps.push(migrateToV2(transaction));
  if (crosses(DB_VERSIONS.v3QuestionsAndVectors)) createV3Stores(db);
  if (crosses(DB_VERSIONS.v4ConsolidationPairs)) createV4Stores(db);
  return Promise.all(steps).then(() => undefined);
}

export interface OpenDimmemDbOptions {
  name?: string;
  /** Another tab still has an older version open, so the upgrade waits for it to close. */
  onBlocked?: () => void;
  /** A newer version was opened in another tab: this connection has been closed. */
  onVersionChange?: () => void;
  /** The browser closed the connection abnormally (storage cleared, disk error). */
  onTerminated?: () => void;
}

export function openDimmemDb(options: OpenDimmemDbOptions = {}): Promise<DimmemDb> {
  let database: DimmemDb | null = null;
  return openDB<DimmemSchema>(options.name ?? DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion, newVersion, transaction) {
      // Errors surface through the open request, which fails when the upgrade transaction aborts.
      void upgradeDimmemDb(db, oldVersion, newVersion ?? DB_VERSION, transaction).catch(() => {
        try {
          transaction.abort();
        } catch {
          // Already finished: the failed request aborted it.
        }
      });
    },
    blocked() {
      options.onBlocked?.();
    },
    blocking() {
      // Let the other tab upgrade instead of leaving both stuck.
      database?.close();
      options.onVersionChange?.();
    },
    terminated() {
      options.onTerminated?.();
    },
  }).then((db) => {
    database = db;
    return db;
  });
}
