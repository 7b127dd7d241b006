import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { importBytes, type ImportResult } from '../core/import';
import type { CliIo } from './command';

/** Reads and imports a chat file, passing import warnings on to the terminal. */
export async function readConversations(
  file: string,
  speaker: string | undefined,
  io: CliIo,
): Promise<ImportResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new Error(`cannot read ${file}: ${describeFsError(error)}`);
  }
  const result = importBytes(path.basename(file), bytes, speaker === undefined ? {} : { speaker });
  for (const warning of result.warnings) io.note(`warning: ${warning}`);
  return result;
}

function describeFsError(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ERR_FS_FILE_TOO_LARGE') return 'the file is too large';
  return error instanceof Error ? error.message : String(error);
}
