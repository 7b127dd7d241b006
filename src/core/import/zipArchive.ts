import { ImportError } from './importError';

const MIB = 1024 * 1024;

/**
 * A zip archive may be larger than a chat file: a ChatGPT export carries its images and a large
 * chat.html beside conversations.json. The whole archive is held in memory while it is opened;
 * only the chat exports inside are unpacked, each within the import limit.
 */
export const MAX_ARCHIVE_BYTES = 2048 * MIB;

/**
 * Whether bytes begin a zip archive, told from the content, not the name: a file entry's local
 * header (`PK\x03\x04`), or the end record an empty archive starts with (`PK\x05\x06`). The first
 * four bytes are enough.
 */
export function isZipArchive(head: Uint8Array): boolean {
  if (head[0] !== 0x50 || head[1] !== 0x4b) return false;
  return (head[2] === 0x03 && head[3] === 0x04) || (head[2] === 0x05 && head[3] === 0x06);
}

/** The "too large" error for a zip archive of `size` bytes, or null within the limit. */
export function archiveSizeError(archiveName: string, size: number): ImportError | null {
  if (size <= MAX_ARCHIVE_BYTES) return null;
  return new ImportError(
    archiveName,
    [],
    `it is too large to open (${(size / MIB).toFixed(1)} MB; the limit for a .zip archive is ` +
      `${MAX_ARCHIVE_BYTES / MIB} MB): unzip it and import its conversations.json`,
  );
}
