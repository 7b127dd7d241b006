import { useShallow } from 'zustand/react/shallow';

import { formatBytes, useEngineStore } from '../../store/engine';
import { canSaveToFolder, saveBuildToFolder, useModelBuildStore } from '../../store/modelBuild';

/** Builds made here, each with its revision, the source hashes and "Save this build to a folder". */
export function BuiltModels() {
  const built = useEngineStore(
    useShallow((state) => state.catalog.filter((entry) => entry.sourceKind === 'browser-build')),
  );
  const folderSave = useModelBuildStore((state) => state.folderSave);
  if (built.length === 0) return null;
  const canSave = canSaveToFolder();
  return (
    <div className="field" data-testid="built-models">
      <h4 className="section-title">Built in this browser</h4>
      {built.map((entry) => (
        <div className="mt-6" key={entry.id} data-built-id={entry.id}>
          <strong>{entry.label}</strong>
          <details>
            <summary>Revision and source hashes</summary>
            <p className="flush mt-4 mb-4">
              {entry.build?.hub}/{entry.build?.repo} at <code>{entry.build?.revision}</code>
            </p>
            <ul className="flush">
              {Object.entries(entry.build?.sourceHashes ?? {}).map(([file, hash]) => (
                <li key={file}>
                  <code>{file}</code>: <code>{hash}</code>
                </li>
              ))}
            </ul>
          </details>
          {canSave ? (
            <button
              type="button"
              className="button small"
              disabled={folderSave.state === 'saving'}
              onClick={() => void saveBuildToFolder(entry)}
            >
              Save this build to a folder
            </button>
          ) : (
            <p className="muted flush mt-4">
              Saving to a folder needs the File System Access API (Chrome or Edge on a computer):
              this browser has none. The build stays in this browser’s storage.
            </p>
          )}
          {folderSave.state !== 'idle' && folderSave.modelId === entry.id && (
            <p
              className={`notice ${folderSave.state === 'error' ? 'error' : folderSave.state === 'saved' ? 'success' : ''}`}
              role="status"
              data-testid="folder-save"
              data-state={folderSave.state}
            >
              {folderSave.state === 'saving' &&
                `Saving: ${folderSave.filesDone} of ${folderSave.filesTotal || '…'} files, ${formatBytes(folderSave.bytes)}`}
              {folderSave.state === 'saved' &&
                `Saved ${folderSave.files} files to the folder “${folderSave.folderName}”: load it with “Load from a folder on this computer”, or host it.`}
              {folderSave.state === 'error' && `Not saved: ${folderSave.message}`}
            </p>
          )}
        </div>
      ))}
    </div>
  );
}
