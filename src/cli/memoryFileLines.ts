import { readFile } from 'node:fs/promises';

import { errorText } from '../core/errorText';
import type { ReadMemoryLine } from '../core/exchange/memoryLine';
import { parseMemoryLine } from '../core/exchange/memoryLine';
import { CliError, exitCodes } from './command';

/** One memory line of a memories JSONL file, read. */
export interface MemoryFileLine {
  /** The line's text as it stands in the file. */
  text: string;
  /** Its line number, from 1. */
  line: number;
  read: ReadMemoryLine;
  /** The line's id, or `line-N` without one; an id seen before gets `#line-N`. */
  id: string;
}

export interface MemoryFileLinesOptions {
  /** Sees each non-empty line before it is read; throws to refuse the whole file. */
  check?(text: string, line: number): void;
  /** Whether a read line counts; one that does not takes no id and is not returned. */
  keep?(read: ReadMemoryLine): boolean;
}

export interface MemoryFileLines {
  lines: MemoryFileLine[];
  /** Lines that are not memories: `line 7: content: expected a string …`; they are skipped. */
  skipped: string[];
}

/**
 * The memory lines of a memories JSONL file (what `extract` writes and the app exports), read with
 * the memory-line reader and given unique ids, for `search`, `ask` and `consolidate` alike. A line
 * that is not a memory is skipped and named. Throws a {@link CliError} when the file cannot be read.
 */
export async function readMemoryFileLines(
  file: string,
  { check, keep }: MemoryFileLinesOptions = {},
): Promise<MemoryFileLines> {
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
  const lines: MemoryFileLine[] = [];
  const skipped: string[] = [];
  const ids = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    check?.(raw, line);
    try {
      const read = parseMemoryLine(raw);
      if (keep && !keep(read)) return;
      let id = read.provenance.id ?? `line-${line}`;
      if (ids.has(id)) id = `${id}#line-${line}`;
      ids.add(id);
      lines.push({ text: raw, line, read, id });
    } catch (error) {
      skipped.push(`line ${line}: ${errorText(error)}`);
    }
  });
  return { lines, skipped };
}
