import { getDb } from '../engine/connection';
import { listConversations } from '../conversations/conversationRepository';
import type { DimmemDb } from '../db/db';
import type { Backup } from './backup';
import { createBackup, isBackup, parseBackup, restoreBackup } from './backup';
import { memoriesToCsv } from './csv';
import { memoriesToJsonl, parseMemoriesJsonl } from './jsonl';
import { memoriesToMarkdown } from './markdown';
import { loadAllMemories, putMemories } from '../memories/memoryRepository';
import type { MemoryRecord } from '../db/records';
import { loadAllStores } from '../db/storeLoader';
import type { TabChannel } from '../tabs/tabChannel';
import { channelOf } from '../tabs/tabChannel';

export type ExportFormat = 'json' | 'jsonl' | 'csv' | 'markdown';

/** Which memories to export: all, a list of ids (e.g. the table's selection) or a filter. */
export type MemorySelection =
  | { kind: 'all' }
  | { kind: 'ids'; ids: readonly string[] }
  | { kind: 'filter'; keep: (memory: MemoryRecord) => boolean };

export interface ExportFile {
  fileName: string;
  mimeType: string;
  text: string;
}

const fileTypes: Record<ExportFormat, { extension: string; mimeType: string }> = {
  json: { extension: 'json', mimeType: 'application/json' },
  jsonl: { extension: 'jsonl', mimeType: 'application/x-ndjson' },
  csv: { extension: 'csv', mimeType: 'text/csv' },
  markdown: { extension: 'md', mimeType: 'text/markdown' },
};

export function selectMemories(
  memories: readonly MemoryRecord[],
  selection: MemorySelection,
): MemoryRecord[] {
  switch (selection.kind) {
    case 'all':
      return [...memories];
    case 'ids': {
      const byId = new Map(memories.map((memory) => [memory.id, memory]));
      return selection.ids
        .map((id) => byId.get(id))
        .filter((memory): memory is MemoryRecord => memory !== undefined);
    }
    case 'filter':
      return memories.filter(selection.keep);
  }
}

export interface ExportOptions {
  db?: DimmemDb;
  now?: () => Date;
}

/**
 * Builds an export file. `json` is a full backup (every store) when the selection is `all`, and
 * otherwise the selected memories with the conversations and runs they come from; it re-imports
 * exactly. The other formats hold memories only.
 */
export async function exportMemories(
  format: ExportFormat,
  selection: MemorySelection = { kind: 'all' },
  options: ExportOptions = {},
): Promise<ExportFile> {
  const db = options.db ?? (await getDb());
  const now = options.now?.() ?? new Date();
  const memories = selectMemories(await loadAllMemories(db), selection);
  const { extension, mimeType } = fileTypes[format];
  const stamp = now.toISOString().slice(0, 10);
  const fileName = `dimmem-${selection.kind === 'all' && format === 'json' ? 'backup' : 'memories'}-${stamp}.${extension}`;
  if (format === 'json') {
    const backup: Backup = await createBackup(
      db,
      now,
      selection.kind === 'all' ? undefined : memories,
    );
    return { fileName, mimeType, text: JSON.stringify(backup, null, 1) + '\n' };
  }
  const conversations = await listConversations(db);
  if (format === 'jsonl') {
    const byId = new Map(conversations.map((record) => [record.id, record]));
    return { fileName, mimeType, text: memoriesToJsonl(memories, byId) };
  }
  const titles = new Map(conversations.map((record) => [record.id, record.title]));
  const text =
    format === 'csv' ? memoriesToCsv(memories, titles) : memoriesToMarkdown(memories, titles);
  return { fileName, mimeType, text };
}

export interface MemoryImportOutcome {
  kind: 'backup' | 'jsonl';
  conversations: number;
  runs: number;
  memories: number;
  /** JSONL lines that could not be read (the others are imported). */
  errors: { line: number; reason: string }[];
}

/**
 * Imports a JSON backup or a JSONL file of memories (the app's or the CLI's). Records with ids
 * already stored are replaced, so importing the same file twice adds nothing. Throws (changing
 * nothing) when a backup is invalid.
 */
export async function importMemoriesFile(
  text: string,
  options: { db?: DimmemDb; channel?: TabChannel | null; now?: () => number } = {},
): Promise<MemoryImportOutcome> {
  const db = options.db ?? (await getDb());
  const now = options.now ?? Date.now;
  let outcome: MemoryImportOutcome;
  const backupValue = tryParseJson(text);
  if (backupValue !== undefined && isBackup(backupValue)) {
    const counts = await restoreBackup(db, parseBackup(backupValue));
    outcome = { kind: 'backup', ...counts, errors: [] };
  } else {
    const read = parseMemoriesJsonl(text, now());
    if (read.memories.length === 0 && read.errors.length > 0) {
      throw new Error(
        `No memory could be read from this file (line ${read.errors[0]?.line}: ${read.errors[0]?.reason}).`,
      );
    }
    await putMemories(db, read.memories);
    outcome = {
      kind: 'jsonl',
      conversations: 0,
      runs: 0,
      memories: read.memories.length,
      errors: read.errors,
    };
  }
  await loadAllStores(db);
  for (const what of ['conversations', 'runs', 'memories'] as const) {
    channelOf(options).post({ type: 'reload', what });
  }
  return outcome;
}

function tryParseJson(text: string): unknown {
  const trimmed = text.trimStart();
  // A backup is one JSON object; JSONL has several lines of objects and fails to parse as one.
  if (!trimmed.startsWith('{')) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}
