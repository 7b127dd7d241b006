import type { ArchiveEntry } from './chatArchive';
import { checkFileSize } from './importLimits';
import { isZipArchive } from './zipArchive';

/**
 * What opening a file needs of it (a browser `File`, a file on disk): its name and size, its first
 * bytes and all of them, each read only when asked for.
 */
export interface FileAccess {
  readonly name: string;
  readonly size: number;
  /** How a refusal from its size names the file, when not by `name` (the CLI: the path given). */
  readonly sizeName?: string;
  /** The first bytes (four are enough to tell a zip archive). */
  head(): Promise<Uint8Array>;
  bytes(): Promise<Uint8Array>;
}

/**
 * One source a file gives: the file's own bytes, or one chat export inside a zip archive (named
 * `export.zip › conversations.json`), or why that export could not be unpacked. `warnings` say
 * what the archive as a whole held (an export it held twice), on its first export only.
 */
export type FileSource = ArchiveEntry;

/** A file opened for import: its sources, and whether it was a zip archive that held them. */
export interface OpenedFile {
  /** The file's own bytes, as read (the archive's, for a zip archive). */
  bytes: Uint8Array;
  archive: boolean;
  sources: FileSource[];
}

/**
 * The sources in a file's bytes: the file itself, or, for a zip archive (told from its first bytes,
 * not its name), each chat export inside it. The unzipping code (fflate) loads only for an archive.
 * Throws one `ImportError` naming the archive when it cannot be opened or holds no chat export.
 */
export async function sourcesOfBytes(name: string, bytes: Uint8Array): Promise<OpenedFile> {
  if (!isZipArchive(bytes)) {
    return { bytes, archive: false, sources: [{ name, bytes, error: null, warnings: [] }] };
  }
  const { openChatArchive } = await import('./chatArchive');
  return { bytes, archive: true, sources: openChatArchive(name, bytes) };
}

/** Left unread: the file is over the size its caller streams from (see {@link openFileSources}). */
export const UNREAD = 'unread';

/**
 * Opens a file for import, the one way the app and the CLI do it. A file over the import limit is
 * refused from its size alone (reading only its first four bytes, to tell a zip archive, which
 * may be larger) before anything else is read; one over `streamAbove` bytes is left unread for
 * its caller to stream; any other is read whole and split into its sources
 * ({@link sourcesOfBytes}). Throws the `ImportError` that refuses the file as a whole.
 */
export async function openFileSources(
  file: FileAccess,
  options: { streamAbove?: number } = {},
): Promise<OpenedFile | typeof UNREAD> {
  const tooLarge = await checkFileSize(file.sizeName ?? file.name, file.size, () => file.head());
  if (tooLarge) throw tooLarge;
  if (options.streamAbove !== undefined && file.size > options.streamAbove) return UNREAD;
  return sourcesOfBytes(file.name, await file.bytes());
}
