import type { MemoryRecord } from '../records';
import { lineToMemory, memoryToLine } from './memoryLine';

/** One memory per line (see memoryLine.ts), each line a JSON object, ending with a newline. */
export function memoriesToJsonl(
  memories: readonly MemoryRecord[],
  titles: ReadonlyMap<string, string> = new Map(),
): string {
  return memories
    .map((memory) => JSON.stringify(memoryToLine(memory, titles.get(memory.conversationId))) + '\n')
    .join('');
}

export interface JsonlReadResult {
  memories: MemoryRecord[];
  /** Lines that could not be read, numbered from 1, with the reason. */
  errors: { line: number; reason: string }[];
}

/** Reads JSONL memories (the app's export or the CLI's output); blank lines are ignored. */
export function parseMemoriesJsonl(text: string, importedAt: number): JsonlReadResult {
  const result: JsonlReadResult = { memories: [], errors: [] };
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    try {
      result.memories.push(lineToMemory(JSON.parse(raw), importedAt));
    } catch (error) {
      result.errors.push({
        line: index + 1,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  });
  return result;
}
