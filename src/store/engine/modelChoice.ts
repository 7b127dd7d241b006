import type { AppConfig } from '@mlc-ai/web-llm';

import { errorText } from '../../core/errorText';
import { buildCatalog, preferredEntry } from '../../engine/catalog/modelCatalog';
import { isHttpUrl } from '../../engine/catalog/modelUrls';
import { builtModelSources } from '../modelBuild/modelBuildRegistry';
import { refreshCacheStatus } from './cacheStatus';
import { syncConnectPolicy } from './connectPolicySync';
import { useEngineStore } from './engineStore';
import { writeSources } from './modelSources';
import type { EngineSources } from './modelSources';
import { unloadModel } from './modelSession';
import { probeSelfHosted } from './selfHostedModels';
import type { SelfHostedModels } from './selfHostedModels';

/** WebLLM's prebuilt list (large: loaded on first use) and what the app's folder hosts. */
let prebuilt: AppConfig | null = null;
let selfHosted: SelfHostedModels | null = null;

/** Lists the models from every source and keeps (or picks) the selected one. */
export function rebuildCatalog(): void {
  if (!prebuilt) return;
  const { sources, selectedId, gpu } = useEngineStore.getState();
  const catalog = buildCatalog({
    prebuilt,
    buildDefaultUrl: import.meta.env.VITE_DIMMEM_MODEL_URL || null,
    selfHostedUrl: selfHosted?.url ?? null,
    selfHostedQuantizations: selfHosted?.quantizations ?? [],
    userUrl: sources.userUrl,
    userLibraryUrl: sources.userLibraryUrl,
    localFolders: sources.localFolders,
    builtModels: builtModelSources(),
    contextWindowSize: sources.contextWindowSize,
  });
  const store = useEngineStore.getState();
  store.setCatalog(catalog);
  const wanted = selectedId ?? sources.selectedId;
  if (wanted && catalog.some((entry) => entry.id === wanted)) {
    store.select(wanted);
  } else {
    const quantization = gpu.state === 'checked' ? gpu.assessment.quantization : null;
    store.select(preferredEntry(catalog, quantization ?? 'q4f16_1')?.id ?? null);
  }
}

/** Saves a change of the sources, then lists the models and the hosts they need again. */
export function updateSources(change: Partial<EngineSources>): void {
  const sources = { ...useEngineStore.getState().sources, ...change };
  writeSources(sources);
  useEngineStore.getState().setSources(sources);
  rebuildCatalog();
  syncConnectPolicy();
}

/** Loads WebLLM's prebuilt list (lazily: it is large) and probes the self-hosted folder. */
export async function initModelCatalog(): Promise<void> {
  syncConnectPolicy();
  try {
    if (!prebuilt) prebuilt = (await import('@mlc-ai/web-llm')).prebuiltAppConfig;
    selfHosted = await probeSelfHosted();
    rebuildCatalog();
    await refreshCacheStatus();
  } catch (error) {
    useEngineStore.getState().setCatalog([], errorText(error));
  }
}

export function selectModel(id: string): void {
  useEngineStore.getState().select(id);
  updateSources({ selectedId: id });
}

/**
 * Saves the URL of a DimMem build (or of a folder of builds, or a `{quant}` template), and
 * optionally of a self-hosted model library.
 */
export function setUserModelUrl(
  url: string | null,
  libraryUrl: string | null = null,
): { reloadNeeded: boolean } {
  const trimmed = url?.trim() || null;
  const library = libraryUrl?.trim() || null;
  if (trimmed && !isHttpUrl(trimmed)) throw new Error('Enter an http(s) URL for the model.');
  if (library && !isHttpUrl(library)) throw new Error('Enter an http(s) URL for the library.');
  updateSources({ userUrl: trimmed, userLibraryUrl: trimmed ? library : null });
  const { catalog, gpu } = useEngineStore.getState();
  const quantization = gpu.state === 'checked' ? gpu.assessment.quantization : null;
  const ofUser = catalog.filter((e) => e.sourceKind === 'user-url');
  const entry = ofUser.find((e) => e.quantization === quantization) ?? ofUser[0];
  if (entry) selectModel(entry.id);
  return { reloadNeeded: useEngineStore.getState().policy.missing.length > 0 };
}

/**
 * A loaded WebLLM model keeps the context it was loaded with, while runs are planned for the chosen
 * one: unload it so that the next load (from the browser's cache) uses the new size.
 */
export function setContextWindowSize(size: number): void {
  const { load, sources } = useEngineStore.getState();
  if (size === sources.contextWindowSize) return;
  updateSources({ contextWindowSize: size });
  if (load.state === 'ready' && load.kind === 'webllm') void unloadModel();
}
