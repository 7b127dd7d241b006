import { putMemories } from '../memories/memoryRepository';
import type { ServiceDeps } from '../tabs/publish';
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

export interface RestoreService {
  /**
   * Restores a JSON backup or a JSONL file of memories (the app's or the CLI's), then publishes a
   * reload of conversations, runs, memories and the review queue. Records with ids already stored are replaced, so
   * restoring the same file twice adds nothing. Throws (changing nothing) when a backup is invalid.
   */
  restoreFile(text: string): Promise<MemoryRestoreOutcome>;
}

export function createRestoreService(deps: ServiceDeps & { now?: () => number }): RestoreService {
  const now = deps.now ?? Date.now;
  return {
    async restoreFile(text) {
      const db = await deps.db();
      let outcome: MemoryRestoreOutcome;
      const backupValue = tryParseJson(text);
      if (backupValue !== undefined && isBackup(backupValue)) {
        // One transaction for the whole backup (see restoreBackup).
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
      // Too much may have changed to carry the records: every tab reads the stores again.
      await Promise.all(
        (['conversations', 'runs', 'memories', 'consolidation'] as const).map((what) =>
          deps.publish({ type: 'reload', what }),
        ),
      );
      return outcome;
    },
  };
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
