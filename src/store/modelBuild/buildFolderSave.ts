import { errorText } from '../../core/errorText';
import type { CatalogEntry } from '../../engine/catalog/modelCatalog';
import type { DirectoryLike } from '../../engine/convert/saveToFolder';
import { cacheStorageOrNull } from '../engine/browserEnvironment';
import { useModelBuildStore } from './modelBuildStore';

type DirectoryPicker = (options?: {
  mode?: 'read' | 'readwrite';
  id?: string;
}) => Promise<DirectoryLike>;

/** Whether this browser can write a folder (File System Access API). */
export function canSaveToFolder(): boolean {
  return (
    typeof (globalThis as { showDirectoryPicker?: unknown }).showDirectoryPicker === 'function'
  );
}

/** Writes a build made here to a folder the user picks, as an MLC model folder. */
export async function saveBuildToFolder(entry: CatalogEntry): Promise<void> {
  const picker = (globalThis as { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker;
  const storage = cacheStorageOrNull();
  if (!picker || !storage || !entry.build) return;
  let parent;
  try {
    parent = await picker({ mode: 'readwrite', id: 'dimmem-model-build' });
  } catch {
    return; // The user closed the picker.
  }
  const { setFolderSave } = useModelBuildStore.getState();
  const folderName = `DimMem-4B-${entry.quantization}-MLC`;
  setFolderSave({ state: 'saving', modelId: entry.id, filesDone: 0, filesTotal: 0, bytes: 0 });
  try {
    const convert = await import('../../engine/convert');
    const result = await convert.saveModelToFolder({
      caches: storage,
      record: entry.record,
      parent,
      folderName,
      buildInfo: {
        model: 'DimMem-4B',
        quantization: entry.quantization,
        checkpoint: `${entry.build.hub}/${entry.build.repo}`,
        revision: entry.build.revision,
        sourceHashes: entry.build.sourceHashes,
        developerTestBuild: entry.build.developerHost,
        modelLibrary: entry.record.model_lib,
        builtBy: 'dimmem-web (in the browser)',
      },
      onProgress: (progress) =>
        setFolderSave({
          state: 'saving',
          modelId: entry.id,
          filesDone: progress.filesDone,
          filesTotal: progress.filesTotal,
          bytes: progress.bytesWritten,
        }),
    });
    setFolderSave({
      state: 'saved',
      modelId: entry.id,
      folderName: result.folderName,
      files: result.files.length,
    });
  } catch (error) {
    const message =
      error instanceof DOMException && error.name === 'QuotaExceededError'
        ? 'The disk is full: free space and save again.'
        : errorText(error);
    setFolderSave({ state: 'error', modelId: entry.id, message });
  }
}
