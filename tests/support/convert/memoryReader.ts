import { CheckpointFileMissingError } from '../../../src/core/convert';
import type { CheckpointReader } from '../../../src/core/convert';

/** A CheckpointReader over files held in memory; records every read so tests can bound them. */
export function memoryCheckpointReader(files: Map<string, Uint8Array>) {
  const reads: { file: string; start: number; end: number }[] = [];
  const get = (file: string) => {
    const bytes = files.get(file);
    if (!bytes) throw new CheckpointFileMissingError(file);
    return bytes;
  };
  const reader: CheckpointReader = {
    readText: async (file) => new TextDecoder().decode(get(file)),
    size: async (file) => get(file).byteLength,
    read: async (file, start, end) => {
      reads.push({ file, start, end });
      // Like a range request past the end: what there is.
      return get(file).slice(start, end);
    },
  };
  return { reader, reads };
}
