import { deleteModelFromCache } from '../../engine/cache/modelCacheStatus';
import { forgetBuiltModel } from '../modelBuild/modelBuildRegistry';
import { refreshCacheStatus } from './cacheStatus';
import { useEngineStore } from './engineStore';
import { rebuildCatalog, selectModel, updateSources } from './modelChoice';
import { loadedEngine, loadSelectedModel, unloadModel } from './modelSession';

/** Removes only this model's cached files, then downloads and loads it again. */
export async function repairModel(id: string): Promise<void> {
  const entry = useEngineStore.getState().catalog.find((e) => e.id === id);
  if (!entry) return;
  if (loadedEngine()?.modelId === id) await unloadModel();
  await deleteModelFromCache(entry.record, caches, { includeLibrary: true });
  selectModel(id);
  await loadSelectedModel();
}

/** Removes a model's cached files; a build made here or a picked folder leaves the list too. */
export async function deleteCachedModel(id: string): Promise<void> {
  const entry = useEngineStore.getState().catalog.find((e) => e.id === id);
  if (!entry) return;
  if (loadedEngine()?.modelId === id) await unloadModel();
  await deleteModelFromCache(entry.record, caches);
  if (entry.sourceKind === 'browser-build') {
    forgetBuiltModel(entry.record.model);
    rebuildCatalog();
  }
  if (entry.sourceKind === 'local-folder') {
    const { localFolders } = useEngineStore.getState().sources;
    updateSources({
      localFolders: localFolders.filter((folder) => folder.url !== entry.record.model),
    });
  }
  await refreshCacheStatus();
}
