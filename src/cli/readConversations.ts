import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import { importBytes, importSizeError, type ImportResult } from '../core/import';
import type { CliIo } from './command';

/**
 * Reads an input file's bytes. Its size is checked first, so a file over the import limit is
 * refused with one line naming it and the limit, without ever being loaded.
 */
export async function readInputFile(file: string): Promise<Uint8Array> {
  const tooLarge = importSizeError(file, (await withFsErrors(file, () => stat(file))).size);
  if (tooLarge) throw tooLarge;
  return withFsErrors(file, () => readFile(file));
}

async function withFsErrors<T>(file: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw new Error(`cannot read ${file}: ${describeFsError(error)}`);
  }
}

/** Imports a chat file's bytes, passing import warnings on to the terminal. */
export function importConversations(
  file: string,
  bytes: Uint8Array,
  speaker: string | undefined,
  io: CliIo,
): ImportResult {
  const result = importBytes(path.basename(file), bytes, speaker === undefined ? {} : { speaker });
  for (const warning of result.warnings) io.note(`warning: ${warning}`);
  return result;
}

/** Reads and imports a chat file, passing import warnings on to the terminal. */
export async function readConversations(
  file: string,
  speaker: string | undefined,
  io: CliIo,
): Promise<ImportResult> {
  return importConversations(file, await readInputFile(file), speaker, io);
}

function describeFsError(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ERR_FS_FILE_TOO_LARGE') return 'the file is too large';
  return error instanceof Error ? error.message : String(error);
}
