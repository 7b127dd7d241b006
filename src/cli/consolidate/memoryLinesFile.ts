import type { ConsolidationMemory } from '../../core/consolidate';
import { CliError, exitCodes } from '../command';
import { readMemoryFileLines, type MemoryFileLine, type MemoryFileLines } from '../memoryFileLines';

/**
 * One line of the input, as read; its text is written back unchanged when consolidation leaves
 * the memory alone.
 */
export type InputLine = MemoryFileLine;

/** The file's lines; those that are not memories (`skipped`) are not written to the output. */
export interface MemoryLinesFile extends MemoryFileLines {
  /** Current memories (not earlier versions), as consolidation reads them. */
  current: ConsolidationMemory[];
}

/**
 * Reads a memories JSONL file of any memory line version, keeping each line's text. Earlier
 * versions (lines with `supersededBy`) are kept for the output but take no part in detection;
 * edited memories are locked: paired and shown, never changed automatically.
 */
export async function readMemoryLinesFile(file: string): Promise<MemoryLinesFile> {
  const { lines, skipped } = await readMemoryFileLines(file);
  if (lines.length === 0) {
    throw new CliError(
      `${file}: no memory lines${skipped.length > 0 ? ` (${skipped[0]})` : ''}.`,
      exitCodes.input,
    );
  }
  const current = lines
    .filter((line) => line.read.provenance.supersededBy === undefined)
    .map(({ read, id }) => ({
      ...read.memory,
      id,
      conversationId: read.provenance.conversationId,
      locked: read.provenance.edited,
    }));
  return { lines, current, skipped };
}
