import { listConversations } from '../conversations/conversationRepository';
import type { DimmemDb } from '../db/db';
import type { Backup } from './backup';
import { createBackup } from './backup';
import { memoriesToCsv } from './csv';
import { memoriesToJsonl } from './jsonl';
import { memoriesToMarkdown } from './markdown';
import { loadAllMemories } from '../memories/memoryRepository';
import type { MemoryRecord } from '../db/records';
import { isCurrentMemory } from '../memories/memoriesStore';
import { withEarlierVersions } from './earlierVersions';

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
  db: DimmemDb;
  now?: () => Date;
  /**
   * JSONL and a JSON selection: also the earlier versions behind the exported memories (what they
   * were merged from or superseded), as version-2 memory lines. A full JSON backup always holds
   * them; CSV and Markdown list current memories only.
   */
  includeHistory?: boolean;
}

/** The page's exports, reading the database the services were given. */
export interface ExportService {
  exportMemories(
    format: ExportFormat,
    selection?: MemorySelection,
    options?: { includeHistory?: boolean },
  ): Promise<ExportFile>;
}

export function createExportService(deps: { db: () => Promise<DimmemDb> }): ExportService {
  return {
    exportMemories: async (format, selection, options) =>
      exportMemories(format, selection, { ...options, db: await deps.db() }),
  };
}

/**
 * Builds an export file. `json` is a full backup (every store, earlier versions included) when the
 * selection is `all`, and otherwise the selected memories with the conversations and runs they
 * come from; it re-imports exactly. The other formats hold memories only: current ones, and with
 * `includeHistory` (JSONL) their earlier versions.
 */
export async function exportMemories(
  format: ExportFormat,
  selection: MemorySelection = { kind: 'all' },
  options: ExportOptions,
): Promise<ExportFile> {
  const { db } = options;
  const now = options.now?.() ?? new Date();
  const stored = await loadAllMemories(db);
  // Selections and counts are of current memories, as the table shows them.
  const selected = selectMemories(stored.filter(isCurrentMemory), selection);
  const memories =
    options.includeHistory && format !== 'csv' && format !== 'markdown'
      ? withEarlierVersions(selected, stored)
      : selected;
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
