import { z } from 'zod';

import type { DimmemDb, DimmemSchema } from '../db/db';
import { DB_VERSION, DB_VERSIONS, memoryRecordV1Schema } from '../db/db';
import type { MemoryRecord } from '../db/records';
import {
  conversationRecordSchema,
  memoryRecordSchema,
  messageRecordSchema,
  runRecordSchema,
  settingRecordSchema,
  windowRecordSchema,
} from '../db/records';
import { reviewPairRecordSchema } from '../db/consolidationRecords';
import { requestBatch, withWriteTransaction } from '../db/transactions';

export const BACKUP_FORMAT = 'dimmem-backup';
/** Versions of the backup file's own layout (its records follow `dbVersion`). */
export const BACKUP_VERSIONS = { v1: 1 } as const;

type BackedUpStore =
  | 'conversations'
  | 'messages'
  | 'runs'
  | 'windows'
  | 'memories'
  | 'settings'
  | 'consolidationPairs';
/** Each backed-up store's rows, typed by the database schema so the two cannot drift apart. */
type BackupTables = { [Name in BackedUpStore]: DimmemSchema[Name]['value'][] };

/** Everything the app stores (or a selection of memories and what they refer to), as JSON. */
export interface Backup extends BackupTables {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSIONS.v1;
  /** The database version whose record shapes this file holds. */
  dbVersion: number;
  exportedAt: string;
}

const backupEnvelopeSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSIONS.v1),
  dbVersion: z.int().min(DB_VERSIONS.v1Initial).max(DB_VERSION),
  exportedAt: z.string(),
  conversations: z.array(conversationRecordSchema),
  messages: z.array(messageRecordSchema),
  runs: z.array(runRecordSchema),
  windows: z.array(windowRecordSchema),
  memories: z.array(z.unknown()),
  settings: z.array(settingRecordSchema),
  /** The review queue (proposals, pairs kept apart); backups before database v4 have none. */
  consolidationPairs: z.array(reviewPairRecordSchema).default([]),
});

/** Memories are read with the schema of the version that wrote them, then brought up to date. */
const memoriesOf = (dbVersion: number) =>
  dbVersion < DB_VERSIONS.v2WindowIndexAndEdits
    ? z.array(
        memoryRecordV1Schema.transform((memory): MemoryRecord => ({
          ...memory,
          origin: 'extracted',
          edited: false,
        })),
      )
    : z.array(memoryRecordSchema);

export function isBackup(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    'format' in value &&
    value.format === BACKUP_FORMAT
  );
}

/** Validates a backup file's content (throws a ZodError naming what is wrong). */
export function parseBackup(value: unknown): Backup {
  const envelope = backupEnvelopeSchema.parse(value);
  const memories = memoriesOf(envelope.dbVersion).parse(envelope.memories);
  return { ...envelope, memories, dbVersion: DB_VERSION };
}

/**
 * Reads a backup from the database. With `memories`, only those memories and the conversations,
 * messages, runs and windows they come from; otherwise everything, settings included.
 */
export async function createBackup(
  db: DimmemDb,
  exportedAt: Date,
  memories?: readonly MemoryRecord[],
): Promise<Backup> {
  const transaction = db.transaction([
    'conversations',
    'messages',
    'runs',
    'windows',
    'memories',
    'settings',
    'consolidationPairs',
  ]);
  const store = <Name extends Exclude<BackedUpStore, 'memories'>>(name: Name) =>
    transaction.objectStore(name);
  const [conversations, messages, runs, windows, allMemories, settings, pairs] = await Promise.all([
    store('conversations').getAll(),
    store('messages').getAll(),
    store('runs').getAll(),
    store('windows').getAll(),
    memories ? Promise.resolve([...memories]) : transaction.objectStore('memories').getAll(),
    memories ? Promise.resolve([]) : store('settings').getAll(),
    memories ? Promise.resolve([]) : store('consolidationPairs').getAll(),
  ]);
  const backup: Backup = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSIONS.v1,
    dbVersion: DB_VERSION,
    exportedAt: exportedAt.toISOString(),
    conversations,
    messages,
    runs,
    windows,
    memories: allMemories,
    settings,
    consolidationPairs: pairs,
  };
  if (!memories) return backup;
  const conversationIds = new Set(memories.map((memory) => memory.conversationId));
  const runIds = new Set(memories.map((memory) => memory.runId));
  return {
    ...backup,
    conversations: conversations.filter((record) => conversationIds.has(record.id)),
    messages: messages.filter((record) => conversationIds.has(record.conversationId)),
    runs: runs.filter((record) => runIds.has(record.id)),
    windows: windows.filter((record) => runIds.has(record.runId)),
  };
}

export interface RestoreCounts {
  conversations: number;
  runs: number;
  memories: number;
}

/**
 * Writes a validated backup in one transaction: records with the same ids are replaced, so
 * restoring the same file twice changes nothing.
 */
export function restoreBackup(db: DimmemDb, backup: Backup): Promise<RestoreCounts> {
  return withWriteTransaction(
    db,
    ['conversations', 'messages', 'runs', 'windows', 'memories', 'settings', 'consolidationPairs'],
    async (transaction) => {
      const batch = requestBatch();
      const conversations = transaction.objectStore('conversations');
      const messages = transaction.objectStore('messages');
      const runs = transaction.objectStore('runs');
      const windows = transaction.objectStore('windows');
      const memories = transaction.objectStore('memories');
      const settings = transaction.objectStore('settings');
      const pairs = transaction.objectStore('consolidationPairs');
      batch.addAll(backup.conversations, (record) => conversations.put(record));
      batch.addAll(backup.messages, (record) => messages.put(record));
      batch.addAll(backup.runs, (record) => runs.put(record));
      batch.addAll(backup.windows, (record) => windows.put(record));
      batch.addAll(backup.memories, (record) => memories.put(record));
      batch.addAll(backup.settings, (record) => settings.put(record));
      batch.addAll(backup.consolidationPairs, (record) => pairs.put(record));
      await batch.done();
      return {
        conversations: backup.conversations.length,
        runs: backup.runs.length,
        memories: backup.memories.length,
      };
    },
  );
}
