import { create } from 'zustand';

/** A file the user dropped or picked, read into memory but not imported yet. */
export interface DraftFile {
  key: string;
  name: string;
  bytes: Uint8Array;
}

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

/** Reads files (from a picker or a drop) and adds them to the draft. */
export async function addFilesToDraft(files: Iterable<File>): Promise<void> {
  const read = await Promise.all(
    [...files].map(async (file) => ({
      key: `file-${nextKey++}`,
      name: file.name,
      bytes: new Uint8Array(await file.arrayBuffer()),
    })),
  );
  if (read.length > 0) useImportDraftStore.getState().addFiles(read);
}
