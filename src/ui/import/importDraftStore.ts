import { create } from 'zustand';

import { errorText } from '../../core/errorText';
import { ImportError } from '../../core/import';
import { openFileSources, UNREAD } from '../../core/import/fileSources';

/**
 * Files over this size are read, previewed and saved by the import worker, a piece at a time, so
 * the page never stalls; smaller ones are read at once, which is quicker for them.
 */
export const LARGE_FILE_BYTES = 1024 * 1024;

/** A file the user dropped or picked, read into memory but not imported yet. */
export interface DraftFile {
  key: string;
  name: string;
  /** The file's content; null when it was refused without being read, or is large. */
  bytes: Uint8Array | null;
  /** A large file, left unread here: the import worker reads it (see {@link LARGE_FILE_BYTES}). */
  large?: PickedFile;
  /**
   * Why the file was not read (too large, unreadable, a zip archive without a chat export), as
   * one line naming it; else null.
   */
  refused: string | null;
  /** What the archive it came from said (an export it held twice), shown with its warnings. */
  warnings?: string[];
}

/** What reading needs of a `File`: tests pass look-alikes without allocating their content. */
export type PickedFile = Pick<File, 'name' | 'size' | 'arrayBuffer' | 'slice'> &
  Partial<Pick<File, 'stream'>>;

interface ImportDraftState {
  pasteText: string;
  /** Where the pasted text came from, shown as its source name ("pasted text" by default). */
  pasteName: string;
  files: DraftFile[];
  /** Names of files being read (or unpacked, for an archive), so the view can say so. */
  reading: string[];
  setPasteText: (text: string, name?: string) => void;
  addFiles: (files: DraftFile[]) => void;
  removeFile: (key: string) => void;
  startReading: (names: string[]) => void;
  doneReading: (names: string[]) => void;
  clear: () => void;
}

/** What the Import view is about to import: lives outside the view so drops anywhere land in it. */
export const useImportDraftStore = create<ImportDraftState>()((set) => ({
  pasteText: '',
  pasteName: 'pasted text',
  files: [],
  reading: [],
  setPasteText: (pasteText, pasteName = 'pasted text') => set({ pasteText, pasteName }),
  addFiles: (files) => set((state) => ({ files: [...state.files, ...files] })),
  removeFile: (key) => set((state) => ({ files: state.files.filter((file) => file.key !== key) })),
  startReading: (names) => set((state) => ({ reading: [...state.reading, ...names] })),
  doneReading: (names) =>
    set((state) => {
      const reading = [...state.reading];
      for (const name of names) {
        const index = reading.indexOf(name);
        if (index !== -1) reading.splice(index, 1);
      }
      return { reading };
    }),
  clear: () => set({ pasteText: '', pasteName: 'pasted text', files: [] }),
}));

let nextKey = 0;
const newKey = () => `file-${nextKey++}`;

const refusedFile = (name: string, refused: string): DraftFile => ({
  key: newKey(),
  name,
  bytes: null,
  refused,
});

/**
 * Reads one picked file through the import's one file opener (core `openFileSources`): usually
 * one draft file, or one per chat export when it is a zip archive (told from its first bytes, not
 * its name), each named `export.zip › conversations.json`. A file over the import limit is refused
 * from its size before the rest is read, with the importer's own message; so is an archive without
 * a chat export, or a file the browser cannot read. A large file is not read here at all: the
 * import worker streams it.
 */
export async function readDraftFiles(file: PickedFile): Promise<DraftFile[]> {
  try {
    const opened = await openFileSources(
      {
        name: file.name,
        size: file.size,
        head: async () => new Uint8Array(await file.slice(0, 4).arrayBuffer()),
        bytes: async () => new Uint8Array(await file.arrayBuffer()),
      },
      { streamAbove: LARGE_FILE_BYTES },
    );
    if (opened === UNREAD) {
      return [{ key: newKey(), name: file.name, bytes: null, refused: null, large: file }];
    }
    return opened.sources.map((source) =>
      source.bytes === null
        ? refusedFile(source.name, source.error.message)
        : {
            key: newKey(),
            name: source.name,
            bytes: source.bytes,
            refused: null,
            warnings: source.warnings,
          },
    );
  } catch (error) {
    if (error instanceof ImportError) return [refusedFile(file.name, error.message)];
    return [refusedFile(file.name, `${file.name}: could not be read (${errorText(error)})`)];
  }
}

/** Reads files (from a picker or a drop) and adds them to the draft, refused ones included. */
export async function addFilesToDraft(files: Iterable<PickedFile>): Promise<void> {
  const picked = [...files];
  if (picked.length === 0) return;
  const names = picked.map((file) => file.name);
  useImportDraftStore.getState().startReading(names);
  try {
    const read = (await Promise.all(picked.map(readDraftFiles))).flat();
    if (read.length > 0) useImportDraftStore.getState().addFiles(read);
  } finally {
    useImportDraftStore.getState().doneReading(names);
  }
}
