import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import { CheckpointFileMissingError } from '../../core/convert';
import type { CheckpointReader } from '../../core/convert';

const isMissing = (error: unknown) =>
  error instanceof Error &&
  'code' in error &&
  (error.code === 'ENOENT' || error.code === 'ENOTDIR');

/** Reads a checkpoint from a local folder by byte range, one file handle per read. */
export function folderCheckpointReader(folder: string): CheckpointReader {
  const resolve = (file: string) => {
    const full = path.resolve(folder, file);
    if (!full.startsWith(path.resolve(folder) + path.sep)) {
      throw new Error(`The checkpoint's index names a file outside its folder: ${file}`);
    }
    return full;
  };
  const missing = (file: string, error: unknown): never => {
    if (isMissing(error)) throw new CheckpointFileMissingError(file);
    throw error;
  };
  return {
    readText: (file) =>
      readFile(resolve(file), 'utf8').catch((error: unknown) => missing(file, error)),
    size: async (file) =>
      (await stat(resolve(file)).catch((error: unknown) => missing(file, error))).size,
    async read(file, start, end, signal) {
      signal?.throwIfAborted();
      const handle = await open(resolve(file), 'r').catch((error: unknown) => missing(file, error));
      try {
        const bytes = new Uint8Array(end - start);
        let done = 0;
        while (done < bytes.byteLength) {
          const { bytesRead } = await handle.read(
            bytes,
            done,
            bytes.byteLength - done,
            start + done,
          );
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return done === bytes.byteLength ? bytes : bytes.subarray(0, done);
      } finally {
        await handle.close();
      }
    },
  };
}
