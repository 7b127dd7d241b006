import { create } from 'zustand';

import { importSizeError } from '../../core/import';

/** A file the user dropped or picked, read into memory but not imported yet. */
export interface DraftFile {
  key: string;
  name: string;
  /** The file's content; null when it was refused without being read. */
  bytes: Uint8Array | null;
  /** Why the file was not read (too large, unreadable), as one line naming it; else null. */
  refused: string | null;
}

/** What reading needs of a `File`: tests pass look-alikes without allocating their content. */
export type PickedFile = Pick<File, 'name' | 'size' | 'arrayBuffer'>;

interface ImportDraftState {
  pasteText: string;
  /** Where the pasted text came from, shown as its source name ("pasted text" by default). */
  pasteName: string;
  files: DraftFile[];
  setPasteText: (text: string, name?: string) => void;
  addFiles: (files: DraftFile[]) => void;
  removeFile: (key: string) => void;
  clear: () => void;
}

/** What the Import view is about to import: lives outside the view so drops anywhere land in it. */
export const useImportDraftStore = create<ImportDraftState>()((set) => ({
  pasteText: '',
  pasteName: 'pasted text',
  files: [],
  setPasteText: (pasteText, pasteName = 'pasted text') => set({ pasteText, pasteName }),
  addFiles: (files) => set((state) => ({ files: [...state.files, ...files] })),
  removeFile: (key) => set((state) => ({ files: state.files.filter((file) => file.key !== key) })),
  clear: () => set({ pasteText: '', pasteName: 'pasted text', files: [] }),
}));

let nextKey = 0;

/**
 * Reads one picked file. A file over the import limit is refused from its size alone, before any
 * of it is read, with the importer's own message; so is a file the browser cannot read.
 */
export async function readDraftFile(file: PickedFile): Promise<DraftFile> {
  const key = `file-${nextKey++}`;
  const tooLarge = importSizeError(file.name, file.size);
  if (tooLarge) return { key, name: file.name, bytes: null, refused: tooLarge.message };
  try {
    return { key, name: file.name, bytes: new Uint8Array(await file.arrayBuffer()), refused: null };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      key,
      name: file.name,
      bytes: null,
      refused: `${file.name}: could not be read (${detail})`,
    };
  }
}

/** Reads files (from a picker or a drop) and adds them to the draft, refused ones included. */
export async function addFilesToDraft(files: Iterable<PickedFile>): Promise<void> {
  const read = await Promise.all([...files].map(readDraftFile));
  if (read.length > 0) useImportDraftStore.getState().addFiles(read);
}
