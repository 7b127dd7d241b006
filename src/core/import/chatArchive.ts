import { unzipSync } from 'fflate';

import { importSizeError } from './index';
import { ImportError } from './importError';

/**
 * The chat exports inside a zip archive, as ChatGPT (Settings → Data controls → Export data) and
 * Claude (Settings → Privacy → Export data) send them: `conversations.json` at any depth, or the
 * numbered parts newer ChatGPT exports split it into (`conversations-000.json`, …). Everything else
 * (chat.html, users.json, images) is left packed.
 *
 * Pure and synchronous (fflate's `unzipSync`); the browser imports this module lazily, so fflate
 * stays out of the first-load bundle.
 */

/** One chat export found in an archive: its unpacked bytes, or why it was not unpacked. */
export type ArchiveEntry =
  | { name: string; bytes: Uint8Array; error: null }
  | { name: string; bytes: null; error: ImportError };

/** The names looked for, for messages: what a person would search the archive for. */
export const CHAT_EXPORT_NAME = 'conversations.json';
const chatExportName = /^conversations(?:-\d+)?\.json$/i;

/** How an entry is named as a source, so previews and errors name both: `export.zip › a/b.json`. */
export const archiveEntryName = (archiveName: string, path: string) => `${archiveName} › ${path}`;

interface Listed {
  index: number;
  path: string;
  /** The uncompressed size the archive declares. */
  size: number;
}

const isFolder = (path: string) => path.endsWith('/');
const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const detailOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function damaged(sourceName: string, error: unknown): ImportError {
  return new ImportError(
    sourceName,
    [],
    `it could not be opened as a .zip archive; it may be damaged or incomplete (${detailOf(error)})`,
  );
}

/** Every entry's path and declared size, read from the archive's directory: nothing is unpacked. */
function listEntries(archiveName: string, archive: Uint8Array): Listed[] {
  const entries: Listed[] = [];
  try {
    unzipSync(archive, {
      filter: (file) => {
        entries.push({ index: entries.length, path: file.name, size: file.originalSize });
        return false;
      },
    });
  } catch (error) {
    throw damaged(archiveName, error);
  }
  return entries;
}

function describeContents(entries: Listed[]): string {
  const files = entries.filter((entry) => !isFolder(entry.path)).map((entry) => entry.path);
  if (files.length === 0) return 'the archive is empty';
  const shown = files.slice(0, 5).join(', ');
  return files.length > 5 ? `it holds ${shown} and ${files.length - 5} more` : `it holds ${shown}`;
}

/** Unpacks one entry, after checking its declared size against the import limit. */
function unpack(archiveName: string, archive: Uint8Array, entry: Listed): ArchiveEntry {
  const name = archiveEntryName(archiveName, entry.path);
  const tooLarge = importSizeError(name, entry.size);
  if (tooLarge) return { name, bytes: null, error: tooLarge };
  try {
    let seen = 0;
    // The filter sees entries in directory order: only this one (by position, so a name the
    // archive holds twice is still the right entry) is inflated.
    const files = unzipSync(archive, { filter: () => seen++ === entry.index });
    const bytes = files[entry.path];
    if (!bytes) throw new Error('the entry is missing');
    return { name, bytes, error: null };
  } catch (error) {
    return {
      name,
      bytes: null,
      error: new ImportError(
        name,
        [],
        `it could not be unpacked; the archive may be damaged (${detailOf(error)})`,
      ),
    };
  }
}

/**
 * Finds and unpacks the chat exports in a zip archive, in path order. An entry over the import
 * limit (by the size the archive declares, checked before inflating) or one that cannot be
 * inflated comes back with its error; the others are unaffected. Throws one {@link ImportError}
 * naming the archive when it cannot be read at all or holds no chat export.
 */
export function openChatArchive(archiveName: string, archive: Uint8Array): ArchiveEntry[] {
  const entries = listEntries(archiveName, archive);
  const exports = entries
    .filter((entry) => !isFolder(entry.path) && chatExportName.test(baseName(entry.path)))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.index - b.index));
  if (exports.length === 0) {
    throw new ImportError(
      archiveName,
      [],
      `no chat export found in this .zip archive: looked for ${CHAT_EXPORT_NAME} (ChatGPT and ` +
        `Claude exports hold one); ${describeContents(entries)}`,
    );
  }
  return exports.map((entry) => unpack(archiveName, archive, entry));
}
