import type { ImportFormatId } from '../conversation';
import { inspectSource } from './inspectSource';
import { UniqueIds } from './recordConverter';
import { importBytesInPieces } from './streamSource';
import type { Conversation } from '../conversation';
import type { ImportOptions, ImportResult } from './types';

export { formatLabels } from './formatLabels';
export { ImportError } from './importError';
export type { AppliedDateOrder, DateOrder, ImportOptions, ImportResult } from './types';
export { BOTH_SPEAKERS } from './speakerChoice';
export { inspectSource } from './inspectSource';
export type { InspectedSource } from './inspectSource';
export {
  checkFileSize,
  fileSizeError,
  importSizeError,
  MAX_IMPORT_BYTES,
  MAX_RECORD_BYTES,
  MAX_WHOLE_TEXT_BYTES,
} from './importLimits';
// Opening an archive (./chatArchive) needs fflate: it is imported on its own, lazily in the browser.
export { isZipArchive, MAX_ARCHIVE_BYTES } from './zipArchive';

/**
 * Ids come from the source; two identical chats in one file (or in one archive's exports) still
 * need distinct ids.
 */
export function withUniqueIds(conversations: Conversation[]): Conversation[] {
  const ids = new UniqueIds();
  return conversations.map((conversation) => ids.apply(conversation));
}

/**
 * Imports chat text of any supported format (detected from the content, not the file name).
 * Throws one {@link ImportError} naming the source, the formats tried and what was wrong;
 * problems with single conversations inside a file are `warnings` instead.
 */
export function importText(
  sourceName: string,
  text: string,
  options: ImportOptions = {},
): ImportResult {
  return inspectSource(sourceName, text).importWith(options);
}

/**
 * Above this size, bytes in memory are imported a piece at a time (a JSON list one conversation at
 * a time), never decoded into one string.
 */
export const IMPORT_IN_PIECES_BYTES = 32 * 1024 * 1024;

/**
 * Imports a file's bytes: size and binary checks first, then UTF-8 (or BOM-marked UTF-16). A large
 * JSON list is read one conversation at a time, with the same result.
 */
export function importBytes(
  sourceName: string,
  bytes: Uint8Array,
  options: ImportOptions = {},
): ImportResult {
  if (bytes.byteLength > IMPORT_IN_PIECES_BYTES) {
    return importBytesInPieces(sourceName, bytes, options);
  }
  return inspectSource(sourceName, bytes).importWith(options);
}

/** The format a text would be imported as, or null when none fits. Never throws. */
export function detectFormat(text: string): ImportFormatId | null {
  return inspectSource('text', text).format;
}

/**
 * The speakers a user can choose as "the user" (LoCoMo's two people, a transcript between named
 * people), or null when the source has an obvious user. Never throws.
 */
export function speakersOf(text: string): string[] | null {
  return inspectSource('text', text).speakers;
}
