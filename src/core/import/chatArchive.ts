import { importSizeError } from './index';
import { ImportError } from './importError';
import { readZipDirectory, unpackZipEntry } from './zipDirectory';
import type { ZipEntry } from './zipDirectory';
import { errorText } from '../errorText';

/**
 * The chat exports inside a zip archive, as ChatGPT (Settings → Data controls → Export data) and
 * Claude (Settings → Privacy → Export data) send them: `conversations.json` at any depth, or the
 * numbered parts newer ChatGPT exports split it into (`conversations-000.json`, …). Everything else
 * (chat.html, users.json, images) is left packed.
 *
 * Pure and synchronous (./zipDirectory, fflate's inflate); the browser imports this module lazily,
 * so fflate stays out of the first-load bundle.
 */

/**
 * One chat export found in an archive: its unpacked bytes, or why it was not unpacked; and what
 * the user should know about the archive as a whole (on the first entry only), to be shown with
 * the entry's import warnings.
 */
export type ArchiveEntry =
  | { name: string; bytes: Uint8Array; error: null; warnings: string[] }
  | { name: string; bytes: null; error: ImportError; warnings: string[] };

/** The names looked for, for messages: what a person would search the archive for. */
export const CHAT_EXPORT_NAME = 'conversations.json';
const chatExportName = /^conversations(?:-\d+)?\.json$/i;

/** How an entry is named as a source, so previews and errors name both: `export.zip › a/b.json`. */
export const archiveEntryName = (archiveName: string, path: string) => `${archiveName} › ${path}`;

const isFolder = (path: string) => path.endsWith('/');
const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const folderOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));
const depthOf = (path: string) => path.split('/').length - 1;

function damaged(sourceName: string, error: unknown): ImportError {
  return new ImportError(
    sourceName,
    [],
    `it could not be opened as a .zip archive; it may be damaged or incomplete (${errorText(error)})`,
  );
}

/** Every entry's path and declared size, read from the archive's directory: nothing is unpacked. */
function listEntries(archiveName: string, archive: Uint8Array): ZipEntry[] {
  try {
    return readZipDirectory(archive);
  } catch (error) {
    throw damaged(archiveName, error);
  }
}

function describeContents(entries: ZipEntry[]): string {
  const files = entries.filter((entry) => !isFolder(entry.path)).map((entry) => entry.path);
  if (files.length === 0) return 'the archive is empty';
  const shown = files.slice(0, 5).join(', ');
  return files.length > 5 ? `it holds ${shown} and ${files.length - 5} more` : `it holds ${shown}`;
}

/** Unpacks one entry, after checking its declared size against the import limit. */
function unpack(archiveName: string, archive: Uint8Array, entry: ZipEntry): ArchiveEntry {
  const name = archiveEntryName(archiveName, entry.path);
  const tooLarge = importSizeError(name, entry.size);
  if (tooLarge) return { name, bytes: null, error: tooLarge, warnings: [] };
  try {
    return { name, bytes: unpackZipEntry(archive, entry), error: null, warnings: [] };
  } catch (error) {
    return {
      name,
      bytes: null,
      error: new ImportError(
        name,
        [],
        `it could not be unpacked; the archive may be damaged (${errorText(error)})`,
      ),
      warnings: [],
    };
  }
}

/** A folder's exports as a warning names them: the one file, or the folder and how many parts. */
function describeFolder(exports: ZipEntry[]): string {
  if (exports.length === 1) return exports[0]!.path;
  const folder = folderOf(exports[0]!.path);
  return `${folder === '' ? 'the top folder' : `${folder}/`} (${exports.length} parts)`;
}

/**
 * The exports to import: those in the shallowest folders. An archive holding an export twice (a
 * re-zipped folder, a backup copy beside the original) would import every conversation twice;
 * deeper copies are skipped, and the warning names what was taken and what was not.
 */
function shallowest(exports: ZipEntry[]): { taken: ZipEntry[]; warning: string | null } {
  const depth = exports.reduce((least, entry) => Math.min(least, depthOf(entry.path)), Infinity);
  const taken = exports.filter((entry) => depthOf(entry.path) === depth);
  const skipped = exports.filter((entry) => depthOf(entry.path) !== depth);
  if (skipped.length === 0) return { taken, warning: null };
  const byFolder = (entries: ZipEntry[]) => {
    const folders = new Map<string, ZipEntry[]>();
    for (const entry of entries) {
      const folder = folderOf(entry.path);
      const inFolder = folders.get(folder);
      if (inFolder) inFolder.push(entry);
      else folders.set(folder, [entry]);
    }
    return [...folders.values()].map(describeFolder).join(', ');
  };
  return {
    taken,
    warning: `chat exports in more than one folder: took ${byFolder(taken)}, skipped ${byFolder(skipped)}`,
  };
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
  const { taken, warning } = shallowest(exports);
  const unpacked = taken.map((entry) => unpack(archiveName, archive, entry));
  if (warning !== null) unpacked[0]!.warnings.push(warning);
  return unpacked;
}
