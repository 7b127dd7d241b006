import { getDb } from '../engine/connection';
import type { DimmemDb } from '../db/db';
import { loadAllStores } from '../db/storeLoader';
import { putMemories } from '../memories/memoryRepository';
import type { TabChannel } from '../tabs/tabChannel';
import { channelOf } from '../tabs/tabChannel';
import { isBackup, parseBackup, restoreBackup } from './backup';
import { parseMemoriesJsonl } from './jsonl';

export interface MemoryRestoreOutcome {
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
export async function restoreMemoriesFile(
  text: string,
  options: { db?: DimmemDb; channel?: TabChannel | null; now?: () => number } = {},
): Promise<MemoryRestoreOutcome> {
  const db = options.db ?? (await getDb());
  const now = options.now ?? Date.now;
  let outcome: MemoryRestoreOutcome;
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
