import { MEMORY_LINE_VERSION, MEMORY_LINE_VERSIONS } from '../../core/exchange/memoryLine';
import type { ExtractedMemory } from '../../core/memory';
import type { SearchableMemory } from '../../core/search';
import { CliError, exitCodes } from '../command';
import { readMemoryFileLines, type MemoryFileLines } from '../memoryFileLines';

/** A memory as search ranks it, with where it came from for the output. */
export type FileMemory = ExtractedMemory &
  SearchableMemory & { conversationId: string; conversationTitle?: string; line: number };

export interface MemoryFile extends Pick<MemoryFileLines, 'skipped'> {
  memories: FileMemory[];
}

/**
 * Reads a memories JSONL file (what `extract` writes and the app exports) with the memory-line
 * reader. A file written in another version of the format is refused with a message saying so; a
 * line that is not a memory is skipped and named. A line without an id gets `line-N`.
 */
export async function readMemoryFile(file: string): Promise<MemoryFile> {
  const { lines, skipped } = await readMemoryFileLines(file, {
    check(raw, line) {
      const version = versionOf(raw);
      if (version === undefined || (MEMORY_LINE_VERSIONS as readonly unknown[]).includes(version))
        return;
      throw new CliError(
        `${file}: line ${line} is a memory line of version ${JSON.stringify(version)}; this dimmem reads versions 1 to ${MEMORY_LINE_VERSION}. ` +
          `Use the dimmem that wrote the file, or export the memories again from this one.`,
        exitCodes.input,
      );
    },
    // An earlier version (merged or superseded by consolidation) is history, not a current memory.
    keep: (read) => read.provenance.supersededBy === undefined,
  });
  const memories: FileMemory[] = lines.map(({ read: { memory, provenance }, id, line }) => ({
    ...memory,
    id,
    conversationId: provenance.conversationId,
    conversationTitle: provenance.conversationTitle,
    line,
  }));
  if (memories.length === 0) {
    const why =
      skipped.length > 0
        ? ` (${skipped[0]}${skipped.length > 1 ? `, and ${skipped.length - 1} more` : ''})`
        : '';
    throw new CliError(`${file}: no memory lines${why}.`, exitCodes.input);
  }
  return { memories, skipped };
}

function versionOf(raw: string): unknown {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && 'version' in value
      ? value.version
      : undefined;
  } catch {
    return undefined;
  }
}
