import { installModel } from '../../engine/cache/installModel';
import { urlFileSource } from '../../engine/cache/modelFileSource';
import { sourceBaseUrl } from '../../engine/catalog/modelUrls';
import { isAbortError } from '../../engine/errors/engineError';
import type { ExtractionEngine } from '../../engine/types';
import { WebLlmEngine } from '../../engine/webllm/webLlmEngine';
import type { PrepareModel } from '../../engine/webllm/webLlmEngine';
import { freeStorageBytes } from './browserEnvironment';
import { refreshCacheStatus } from './cacheStatus';
import { useEngineStore } from './engineStore';
import { failureOf } from './engineFailure';
import type { EngineFailure } from './engineFailure';
import { recordingSpeeds } from './speedRecordingEngine';

/** The loaded engine, and what its extraction errors become for the run. */
let active: { engine: ExtractionEngine; describeRunError: (error: unknown) => unknown } | null =
  null;
/** Aborts the load (or folder install) in progress; null when none runs. */
let loadController: AbortController | null = null;
/** WebLLM's engine, made on first use: it starts a worker only when a model loads. */
let webLlm: WebLlmEngine | null = null;

/** DimMem's model id while an answer model has it off the GPU; the next extraction reloads it. */
let swappedOut: string | null = null;
/** The reload under way for a run's extraction (one for all of them). */
let restoring: Promise<void> | null = null;
/** Frees the GPU from other WebLLM models (the answer model) before one loads for extraction. */
let releaseGpu: () => Promise<void> = async () => undefined;

/** Puts a catalog model's files into WebLLM's cache from their URLs (the download phase). */
export const installFromUrls: PrepareModel = (record, onProgress, signal) => {
  const entry = useEngineStore.getState().catalog.find((e) => e.id === record.model_id);
  return installModel({
    record,
    source: urlFileSource(sourceBaseUrl(record.model)),
    librarySource: urlFileSource(record.model_lib, undefined, 'model-library-unavailable'),
    expectedQuantization: entry?.quantization,
    caches,
    onProgress,
    signal,
    freeBytes: freeStorageBytes,
  });
};

function webLlmEngine(): WebLlmEngine {
  webLlm ??= new WebLlmEngine({
    records: () => useEngineStore.getState().catalog.map((entry) => entry.record),
    prepare: installFromUrls,
  });
  return webLlm;
}

/** Called before a WebLLM model loads for extraction; the answer model registers its unload. */
export function setGpuRelease(release: () => Promise<void>): void {
  releaseGpu = release;
}

/**
 * Takes DimMem off the GPU for an answer model, when WebLLM runs it here; the store keeps showing
 * it ready, since the next extraction loads it again (see `getActiveEngine`). Returns its id, or
 * null when it was not on this GPU.
 */
export async function swapOutExtractor(): Promise<string | null> {
  if (!active || active.engine.kind !== 'webllm' || active.engine.modelId === null) {
    return swappedOut;
  }
  swappedOut = active.engine.modelId;
  await active.engine.unload();
  const { load, setLoad } = useEngineStore.getState();
  if (load.state === 'ready' && load.modelId === swappedOut) setLoad({ ...load, setAside: true });
  return swappedOut;
}

/** Loads DimMem again after an answer model took its place; throws when it cannot. */
async function restoreExtractor(): Promise<void> {
  const modelId = swappedOut;
  if (modelId === null || !active) return;
  restoring ??= activate(active.engine, modelId, { describeRunError: active.describeRunError });
  try {
    await restoring;
  } finally {
    restoring = null;
  }
  const load = useEngineStore.getState().load;
  if (load.state !== 'ready' || load.modelId !== modelId) {
    const why = load.state === 'error' ? `: ${load.failure.advice} (${load.failure.detail})` : '';
    throw new Error(`${modelId} could not be loaded again after answering${why}`);
  }
}

export interface ActivateOptions {
  /** The origin chats will be sent to, for the warnings; null for engines in this browser. */
  sendsTo?: string | null;
  describeFailure?: (error: unknown) => EngineFailure;
  /** What an extraction error becomes for the run (the endpoint's plain words); kept as is by default. */
  describeRunError?: (error: unknown) => unknown;
}

/** Loads `engine` with `modelId` in place of the loaded one; the store follows its progress. */
export async function activate(
  engine: ExtractionEngine,
  modelId: string,
  options: ActivateOptions = {},
): Promise<void> {
  loadController?.abort();
  const controller = new AbortController();
  loadController = controller;
  if (active && active.engine !== engine) await active.engine.unload();
  active = null;
  swappedOut = null;
  const store = useEngineStore.getState();
  store.setLoad({
    state: 'loading',
    modelId,
    progress: { phase: 'check', fraction: null, text: 'Starting…' },
  });
  try {
    if (engine.kind === 'webllm') await releaseGpu();
    await engine.load(
      modelId,
      (progress) => {
        if (loadController === controller) {
          useEngineStore.getState().setLoad({ state: 'loading', modelId, progress });
        }
      },
      controller.signal,
    );
    active = { engine, describeRunError: options.describeRunError ?? ((error) => error) };
    useEngineStore
      .getState()
      .setLoad({ state: 'ready', modelId, kind: engine.kind, sendsTo: options.sendsTo ?? null });
  } catch (error) {
    if (loadController !== controller) return; // A newer load took over.
    if (isAbortError(error) || controller.signal.aborted) {
      useEngineStore.getState().setLoad({ state: 'idle' });
    } else {
      const failure = (options.describeFailure ?? failureOf)(error);
      useEngineStore.getState().setLoad({ state: 'error', modelId, failure });
    }
  } finally {
    if (loadController === controller) loadController = null;
    await refreshCacheStatus();
  }
}

/** Downloads (when needed) and loads the selected model on the GPU. */
export async function loadSelectedModel(): Promise<void> {
  const { selectedId } = useEngineStore.getState();
  if (!selectedId) return;
  await activate(webLlmEngine(), selectedId);
}

export function cancelLoad(): void {
  loadController?.abort();
}

/** Work that Cancel stops as it stops a load (copying a picked folder into the cache). */
export function startCancellableWork(): AbortSignal {
  const controller = new AbortController();
  loadController = controller;
  return controller.signal;
}

export function endCancellableWork(): void {
  loadController = null;
}

export async function unloadModel(): Promise<void> {
  const engine = active?.engine;
  active = null;
  swappedOut = null;
  useEngineStore.getState().setLoad({ state: 'idle' });
  await engine?.unload();
}

/** The kind and model of the loaded engine, or null when none is. */
export function loadedEngine(): Pick<ExtractionEngine, 'kind' | 'modelId'> | null {
  return active && { kind: active.engine.kind, modelId: swappedOut ?? active.engine.modelId };
}

/** The engine runs use, or null when none is ready in this tab. */
export function getActiveEngine(): ExtractionEngine | null {
  if (!active || active.engine.status().state === 'error') return null;
  const engine = active.engine;
  // An extraction first loads DimMem again when an answer model took its place.
  const reloading: ExtractionEngine = {
    kind: engine.kind,
    get modelId() {
      return swappedOut ?? engine.modelId;
    },
    load: (modelId, onProgress, signal) => engine.load(modelId, onProgress, signal),
    extract: async (prompt, options) => {
      await restoreExtractor();
      return engine.extract(prompt, options);
    },
    unload: () => engine.unload(),
    status: () => engine.status(),
  };
  return recordingSpeeds(reloading, {
    onResult: (result) =>
      useEngineStore.getState().setLastSpeed({
        prefill: result.timings.prefillTokensPerSecond,
        decode: result.timings.decodeTokensPerSecond,
      }),
    describeError: active.describeRunError,
  });
}
