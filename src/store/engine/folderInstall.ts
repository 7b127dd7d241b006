import { installModel } from '../../engine/cache/installModel';
import {
  folderFileSource,
  folderLibrarySource,
  urlFileSource,
} from '../../engine/cache/modelFileSource';
import type { ModelFileSource } from '../../engine/cache/modelFileSource';
import { checkChatConfig } from '../../engine/catalog/chatConfig';
import { EngineError, isAbortError } from '../../engine/errors/engineError';
import { freeStorageBytes } from './browserEnvironment';
import { refreshCacheStatus } from './cacheStatus';
import { useEngineStore } from './engineStore';
import { failureOf } from './engineFailure';
import { selectModel, updateSources } from './modelChoice';
import { endCancellableWork, startCancellableWork } from './modelSession';

/**
 * Copies a picked MLC model folder into WebLLM's cache, so it loads with no network at all
 * (the model library too, when the folder has its `.wasm`), then lists it as a model.
 */
export async function importModelFolder(folderName: string, files: readonly File[]): Promise<void> {
  const configFile = files.find(
    (file) =>
      file.webkitRelativePath.split('/').slice(1).join('/') === 'mlc-chat-config.json' ||
      file.name === 'mlc-chat-config.json',
  );
  const store = useEngineStore.getState();
  // Failures are reported under the catalog id once the folder is listed, so Load and Delete act on it.
  let id = `folder:${folderName}`;
  try {
    if (!configFile)
      throw new EngineError('model-config-invalid', 'The folder has no mlc-chat-config.json.');
    const check = checkChatConfig(JSON.parse(await configFile.text()));
    if (!check.ok) throw new EngineError('model-config-invalid', check.problem);
    const url = `https://local-model.invalid/${encodeURIComponent(folderName)}/`;
    const folder = { name: folderName, url, quantization: check.quantization };
    const others = store.sources.localFolders.filter((f) => f.url !== url);
    updateSources({ localFolders: [...others, folder] });
    const entry = useEngineStore.getState().catalog.find((e) => e.record.model === url);
    if (!entry) throw new EngineError('unknown', 'The folder could not be added to the catalog.');
    id = entry.id;
    const signal = startCancellableWork();
    const library: ModelFileSource =
      folderLibrarySource(folderName, files) ??
      urlFileSource(entry.record.model_lib, undefined, 'model-library-unavailable');
    await installModel({
      record: entry.record,
      source: folderFileSource(folderName, files),
      librarySource: library,
      expectedQuantization: check.quantization,
      caches,
      signal,
      freeBytes: freeStorageBytes,
      onProgress: (progress) =>
        useEngineStore.getState().setLoad({ state: 'loading', modelId: entry.id, progress }),
    });
    useEngineStore.getState().setLoad({ state: 'idle' });
    selectModel(entry.id);
  } catch (error) {
    useEngineStore
      .getState()
      .setLoad(
        isAbortError(error)
          ? { state: 'idle' }
          : { state: 'error', modelId: id, failure: failureOf(error) },
      );
  } finally {
    endCancellableWork();
    await refreshCacheStatus();
  }
}
