import { installModel } from '../../engine/cache/installModel';
import { urlFileSource } from '../../engine/cache/modelFileSource';
import { sourceBaseUrl } from '../../engine/catalog/modelUrls';
import { isAbortError } from '../../engine/errors/engineError';
import type { ExtractionEngine } from '../../engine/types';
import { WebLlmEngine } from '../../engine/webllm/webLlmEngine';
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

function webLlmEngine(): WebLlmEngine {
  webLlm ??= new WebLlmEngine({
    records: () => useEngineStore.getState().catalog.map((entry) => entry.record),
    prepare: (record, onProgress, signal) => {
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
    },
  });
  return webLlm;
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
  const store = useEngineStore.getState();
  store.setLoad({
    state: 'loading',
    modelId,
    progress: { phase: 'check', fraction: null, text: 'Starting…' },
  });
  try {
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
  useEngineStore.getState().setLoad({ state: 'idle' });
  await engine?.unload();
}

/** The kind and model of the loaded engine, or null when none is. */
export function loadedEngine(): Pick<ExtractionEngine, 'kind' | 'modelId'> | null {
  return active && { kind: active.engine.kind, modelId: active.engine.modelId };
}

/** The engine runs use, or null when none is ready in this tab. */
export function getActiveEngine(): ExtractionEngine | null {
  if (!active || active.engine.status().state === 'error') return null;
  return recordingSpeeds(active.engine, {
    onResult: (result) =>
      useEngineStore.getState().setLastSpeed({
        prefill: result.timings.prefillTokensPerSecond,
        decode: result.timings.decodeTokensPerSecond,
      }),
    describeError: active.describeRunError,
  });
}
