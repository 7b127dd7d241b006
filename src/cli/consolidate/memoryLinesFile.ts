import { readFile } from 'node:fs/promises';

import type { ConsolidationMemory } from '../../core/consolidate';
import { errorText } from '../../core/errorText';
import type { ReadMemoryLine } from '../../core/exchange/memoryLine';
import { parseMemoryLine } from '../../core/exchange/memoryLine';
import { CliError, exitCodes } from '../command';

/** One line of the input, as read and as written. */
export interface InputLine {
  /** The line's text, written back unchanged when consolidation leaves the memory alone. */
  text: string;
  read: ReadMemoryLine;
  /** The line's id, or `line-N` for a line without one (made unique the same way). */
  id: string;
}

export interface MemoryLinesFile {
  lines: InputLine[];
  /** Current memories (not earlier versions), as consolidation reads them. */
  current: ConsolidationMemory[];
  /** Lines that are not memories: `line 7: …`. They are not written to the output. */
  skipped: string[];
}

/**
 * Reads a memories JSONL file of any memory line version, keeping each line's text. Earlier
 * versions (lines with `supersededBy`) are kept for the output but take no part in detection;
 * edited memories are locked: paired and shown, never changed automatically.
 */
export async function readMemoryLinesFile(file: string): Promise<MemoryLinesFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `${file}: ${code === 'ENOENT' ? 'no such file' : errorText(error)}.`,
      exitCodes.input,
    );
  }
  const lines: InputLine[] = [];
  const skipped: string[] = [];
  const ids = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    try {
      const read = parseMemoryLine(raw);
      let id = read.provenance.id ?? `line-${index + 1}`;
      if (ids.has(id)) id = `${id}#line-${index + 1}`;
      ids.add(id);
      lines.push({ text: raw, read, id });
    } catch (error) {
      skipped.push(`line ${index + 1}: ${errorText(error)}`);
    }
  });
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
