import { ImportError } from './importError';
import { archiveSizeError, isZipArchive } from './zipArchive';

const MIB = 1024 * 1024;

/**
 * Larger files are refused before they are read. JSON lists (ChatGPT and Claude exports,
 * LongMemEval and LoCoMo lists, ShareGPT) are read one conversation at a time, so this is set by
 * what a tab can hold of the conversations themselves, not of the file.
 */
export const MAX_IMPORT_BYTES = 1024 * MIB;

/**
 * Sources that are not a JSON list (transcripts, DimMem lines, JSON Lines, one JSON object) are
 * decoded whole into one string; JavaScript engines cap a string at about 512 M characters.
 */
export const MAX_WHOLE_TEXT_BYTES = 400 * MIB;

/** One conversation in a JSON list larger than this is skipped unread (with a warning). */
export const MAX_RECORD_BYTES = 128 * MIB;

const megabytes = (bytes: number) => `${(bytes / MIB).toFixed(1)} MB`;

/**
 * The import's "too large" error for a source of `size` bytes (or UTF-16 units, for text), or null
 * when it is within {@link MAX_IMPORT_BYTES}. Callers holding a file check its size with this
 * before reading it, so a huge file is refused without ever being loaded.
 */
export function importSizeError(sourceName: string, size: number): ImportError | null {
  if (size <= MAX_IMPORT_BYTES) return null;
  return new ImportError(
    sourceName,
    [],
    `it is too large to import (${megabytes(size)}; the limit is ${MAX_IMPORT_BYTES / MIB} MB)`,
  );
}

/** The error for a source too large to be read whole (it is not a JSON list), or null. */
export function wholeTextSizeError(sourceName: string, size: number): ImportError | null {
  if (size <= MAX_WHOLE_TEXT_BYTES) return null;
  return new ImportError(
    sourceName,
    [],
    `it is too large to read at once (${megabytes(size)}); only a JSON list of conversations ` +
      `(such as a ChatGPT or Claude export) is read piece by piece up to ` +
      `${MAX_IMPORT_BYTES / MIB} MB, other formats up to ${MAX_WHOLE_TEXT_BYTES / MIB} MB`,
  );
}

/**
 * The "too large" error for a file of `size` bytes that begins with `head` (its first four bytes
 * are enough), or null. A zip archive may be larger (its chat exports are checked one by one).
 */
export function fileSizeError(name: string, size: number, head: Uint8Array): ImportError | null {
  return isZipArchive(head) ? archiveSizeError(name, size) : importSizeError(name, size);
}

/**
 * The one size check for a picked or named file, in the app and the CLI alike: from its size
 * alone, reading only its first four bytes (to tell a zip archive) when it is over the import
 * limit. Nothing else of a refused file is read.
 */
export async function checkFileSize(
  name: string,
  size: number,
  readHead: () => Promise<Uint8Array>,
): Promise<ImportError | null> {
  if (size <= MAX_IMPORT_BYTES) return null;
  return fileSizeError(name, size, await readHead());
}
