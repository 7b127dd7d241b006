import { readFile } from 'node:fs/promises';

import { errorText } from '../../core/errorText';
import {
  MEMORY_LINE_VERSION,
  MEMORY_LINE_VERSIONS,
  parseMemoryLine,
} from '../../core/exchange/memoryLine';
import type { ExtractedMemory } from '../../core/memory';
import type { SearchableMemory } from '../../core/search';
import { CliError, exitCodes } from '../command';

/** A memory as search ranks it, with where it came from for the output. */
export type FileMemory = ExtractedMemory &
  SearchableMemory & { conversationId: string; conversationTitle?: string; line: number };

export interface MemoryFile {
  memories: FileMemory[];
  /** Lines that are not memories: `line 7: content: expected a string …`; they are skipped. */
  skipped: string[];
}

/**
 * Reads a memories JSONL file (what `extract` writes and the app exports) with the memory-line
 * reader. A file written in another version of the format is refused with a message saying so; a
 * line that is not a memory is skipped and named. A line without an id gets `line-N`.
 */
export async function readMemoryFile(file: string): Promise<MemoryFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new CliError(`${file}: ${reason}.`, exitCodes.input);
  }
  const memories: FileMemory[] = [];
  const skipped: string[] = [];
  const ids = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const version = versionOf(raw);
    if (version !== undefined && !(MEMORY_LINE_VERSIONS as readonly unknown[]).includes(version)) {
      throw new CliError(
        `${file}: line ${line} is a memory line of version ${JSON.stringify(version)}; this dimmem reads versions 1 to ${MEMORY_LINE_VERSION}. ` +
          `Use the dimmem that wrote the file, or export the memories again from this one.`,
        exitCodes.input,
      );
    }
    try {
      const { memory, provenance } = parseMemoryLine(raw);
      // An earlier version (merged or superseded by consolidation) is history, not a current memory.
      if (provenance.supersededBy !== undefined) return;
      let id = provenance.id ?? `line-${line}`;
      if (ids.has(id)) id = `${id}#line-${line}`;
      ids.add(id);
      memories.push({
        ...memory,
        id,
        conversationId: provenance.conversationId,
        conversationTitle: provenance.conversationTitle,
        line,
      });
    } catch (error) {
      skipped.push(`line ${line}: ${errorText(error)}`);
    }
  });
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
