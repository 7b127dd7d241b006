import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import {
  importBytes,
  withUniqueIds,
  type AppliedDateOrder,
  type DateOrder,
  type ImportOptions,
  type ImportResult,
} from '../core/import';
import type { FileSource, OpenedFile } from '../core/import/fileSources';
import { openFileSources } from '../core/import/fileSources';
import type { LocalTime } from '../core/time/localTime';
import { localTimeFromInstant } from '../core/time/localTime';
import type { CliIo } from './command';
import { errorText } from '../core/errorText';

/**
 * Reads an input file through the import's one file opener (core `openFileSources`, as the app
 * reads a picked file): its size is checked first, so a file over the import limit is refused
 * with one line naming it and the limit without ever being loaded (only its first four bytes, to
 * tell a zip archive, which may be larger); a zip archive gives the chat exports inside it.
 */
export async function readInputFile(file: string): Promise<OpenedFile> {
  const { size } = await withFsErrors(file, () => stat(file));
  const opened = await openFileSources({
    name: path.basename(file),
    sizeName: file,
    size,
    head: () => withFsErrors(file, () => readHead(file)),
    bytes: () => withFsErrors(file, () => readFile(file)),
  });
  // Never unread: the CLI streams nothing, it reads a file within the import limit whole.
  return opened as OpenedFile;
}

async function readHead(file: string): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const head = new Uint8Array(4);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Imports the chat exports inside a zip archive (ChatGPT's or Claude's emailed export) as one
 * result: their conversations in path order. An export the archive cannot give (too large,
 * damaged) fails the whole import, as a bad file would.
 */
function importArchive(
  archiveName: string,
  entries: FileSource[],
  options: ImportOptions,
  io: CliIo,
): ImportResult {
  const results = entries.map((entry) => {
    if (entry.error) throw entry.error;
    const result = importBytes(entry.name, entry.bytes, options);
    // The archive's own warnings (an export it held twice) come first, naming the archive.
    const warnings = [
      ...entry.warnings.map((warning) => `${archiveName}: ${warning}`),
      ...result.warnings.map((warning) => `${entry.name}: ${warning}`),
    ];
    return { ...result, warnings };
  });
  // Only once all were read: a failure stays the one line on stderr.
  io.note(`reading ${entries.map((entry) => entry.name).join(', ')}`);
  return {
    // The parts of one export share its format; an archive mixing exports reports the first.
    format: results[0]!.format,
    conversations: withUniqueIds(results.flatMap((result) => result.conversations)),
    warnings: results.flatMap((result) => result.warnings),
  };
}

async function withFsErrors<T>(file: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw new Error(`cannot read ${file}: ${describeFsError(error)}`);
  }
}

/** Where the times of a source without times start (`--undated-start`, else "now"). */
export interface UndatedStamps {
  /** The user's `--undated-start`. */
  undatedStart?: LocalTime;
  /** The import time to stamp from otherwise; the current time when absent. */
  now?: LocalTime;
  /** `--date-order`: how a transcript's numeric dates are read. */
  dateOrder?: DateOrder;
}

/**
 * Imports an opened chat file (the file itself, or the chat exports inside a zip archive),
 * passing import warnings on to the terminal.
 */
export function importConversations(
  file: string,
  opened: OpenedFile,
  speaker: string | undefined,
  io: CliIo,
  stamps: UndatedStamps = {},
): ImportResult {
  const options: ImportOptions = {
    ...(speaker === undefined ? {} : { speaker }),
    ...(stamps.undatedStart === undefined ? {} : { fallbackDate: stamps.undatedStart }),
    ...(stamps.dateOrder === undefined ? {} : { dateOrder: stamps.dateOrder }),
    // Core has no clock: the CLI says when "now" is (`extract` keeps one per run, for --resume).
    now: stamps.now ?? localTimeFromInstant(Date.now()),
  };
  const name = path.basename(file);
  const [first] = opened.sources;
  const result =
    opened.archive || !first?.bytes
      ? importArchive(name, opened.sources, options, io)
      : importBytes(name, first.bytes, options);
  for (const warning of result.warnings) io.note(`warning: ${warning}`);
  if (result.dateOrder) io.note(describeDateOrder(result.dateOrder));
  return result;
}

/** Which rule read the transcript's numeric dates, and how to choose the other. */
function describeDateOrder({ order, reason }: AppliedDateOrder): string {
  const [read, example] =
    order === 'day-first' ? ['day first', '3 April'] : ['month first', 'March 4'];
  const why =
    reason === 'chosen'
      ? 'as --date-order says'
      : reason === 'part over 12'
        ? 'a date reads only that way'
        : 'the default';
  const other = order === 'day-first' ? 'month-first' : 'day-first';
  return `dates such as 03/04/2024 read ${read} (${example}): ${why}; --date-order ${other} to change`;
}

/** Reads and imports a chat file, passing import warnings on to the terminal. */
export async function readConversations(
  file: string,
  speaker: string | undefined,
  io: CliIo,
  stamps: UndatedStamps = {},
): Promise<ImportResult> {
  return importConversations(file, await readInputFile(file), speaker, io, stamps);
}

function describeFsError(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ERR_FS_FILE_TOO_LARGE') return 'the file is too large';
  return errorText(error);
}
