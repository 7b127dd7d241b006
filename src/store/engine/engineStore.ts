import type { AppConfig } from '@mlc-ai/web-llm';
import { z } from 'zod';
import { create } from 'zustand';

import { installModel } from '../../engine/cache/installModel';
import { deleteModelFromCache, inspectModelCache } from '../../engine/cache/modelCacheStatus';
import type { ModelCacheStatus } from '../../engine/cache/modelCacheStatus';
import {
  folderFileSource,
  folderLibrarySource,
  urlFileSource,
} from '../../engine/cache/modelFileSource';
import type { ModelFileSource } from '../../engine/cache/modelFileSource';
import { checkChatConfig } from '../../engine/catalog/chatConfig';
import {
  buildCatalog,
  defaultContextWindowSize,
  preferredEntry,
} from '../../engine/catalog/modelCatalog';
import type { CatalogEntry } from '../../engine/catalog/modelCatalog';
import { dimmemFolderName, isHttpUrl, sourceBaseUrl } from '../../engine/catalog/modelUrls';
import { quantizations } from '../../engine/catalog/quantization';
import type { Quantization } from '../../engine/catalog/quantization';
import { EngineError, isAbortError } from '../../engine/errors/engineError';
import type { EngineErrorCode } from '../../engine/errors/engineError';
import { assessGpu } from '../../engine/gpu/assessGpu';
import type { GpuAssessment } from '../../engine/gpu/assessGpu';
import { probeGpu } from '../../engine/gpu/probeGpu';
import { createReplayEngine, replayModelId } from '../../engine/replay/replayEngine';
import { loadSeedRecordings } from '../../engine/replay/seedRecordings';
import type { ExtractionEngine, ExtractResult, LoadProgress } from '../../engine/types';
import { WebLlmEngine } from '../../engine/webllm/webLlmEngine';
import { describeEndpointFailure, notAllowedFailure } from '../../engine/openai/endpointAdvice';
import type { EndpointContext, EndpointFailureCode } from '../../engine/openai/endpointAdvice';
import { EndpointError } from '../../engine/openai/endpointError';
import { endpointSettingsSchema, normalizeBaseUrl } from '../../engine/openai/endpointSettings';
import type { GuidedDecodingMode } from '../../engine/openai/endpointSettings';
import { isLoopbackHost } from '../../engine/csp/connectSources';
import { createOpenAiEndpointEngine } from '../../engine/openai/openAiEndpointEngine';
import { connectPolicyState, policyAllows, saveWantedConnectSources } from './connectPolicy';
import type { ConnectPolicyState } from './connectPolicy';
import {
  readEndpointChoice,
  readSessionApiKey,
  writeEndpointChoice,
  writeSessionApiKey,
} from './endpointStorage';
import type { RunsOn, SavedEndpoint } from './endpointStorage';
import { builtModelSources, forgetBuiltModel } from '../modelBuild/modelBuildRegistry';
import { checkpointSourcesWanted } from '../modelBuild/modelBuildSettings';

/** Model sources the user chose; kept in localStorage: small, read before the first render. */
const sourcesSchema = z.object({
  userUrl: z.string().nullable().default(null),
  userLibraryUrl: z.string().nullable().default(null),
  localFolders: z
    .array(z.object({ name: z.string(), url: z.string(), quantization: z.enum(quantizations) }))
    .default([]),
  contextWindowSize: z.number().int().min(2048).max(40960).default(defaultContextWindowSize),
  selectedId: z.string().nullable().default(null),
});
export type EngineSources = z.infer<typeof sourcesSchema>;

export const engineSourcesStorageKey = 'dimmem.engine.sources.v1';

export interface EngineFailure {
  code: EngineErrorCode | EndpointFailureCode;
  advice: string;
  detail: string;
}

export type LoadState =
  | { state: 'idle' }
  | { state: 'loading'; modelId: string; progress: LoadProgress }
  | {
      state: 'ready';
      modelId: string;
      kind: ExtractionEngine['kind'];
      /** The origin chats are sent to (an endpoint engine); null when they stay in the browser. */
      sendsTo: string | null;
    }
  | { state: 'error'; modelId: string; failure: EngineFailure };

export interface EngineStoreState {
  sources: EngineSources;
  catalog: CatalogEntry[];
  catalogError: string | null;
  selectedId: string | null;
  gpu: { state: 'unchecked' | 'checking' } | { state: 'checked'; assessment: GpuAssessment };
  cache: Record<string, ModelCacheStatus>;
  load: LoadState;
  /** Speeds of the last extraction, for the status bar. */
  lastSpeed: { prefill: number | null; decode: number | null } | null;
  /** Where extraction runs: this browser's GPU, or the saved OpenAI-compatible endpoint. */
  runsOn: RunsOn;
  endpoint: SavedEndpoint | null;
  /** Whether an API key is held for the endpoint, and whether it is kept until the tab closes. */
  endpointKey: { present: boolean; keptForSession: boolean };
  /** Which hosts the page's security policy lets it reach, and which choices still need a reload. */
  policy: ConnectPolicyState;
  setSources: (sources: EngineSources) => void;
  setCatalog: (catalog: CatalogEntry[], error?: string | null) => void;
  select: (id: string | null) => void;
  setGpu: (gpu: EngineStoreState['gpu']) => void;
  setCacheStatus: (id: string, status: ModelCacheStatus) => void;
  setLoad: (load: LoadState) => void;
  setLastSpeed: (speed: EngineStoreState['lastSpeed']) => void;
}

function readSources(): EngineSources {
  try {
    const raw = globalThis.localStorage?.getItem(engineSourcesStorageKey);
    return sourcesSchema.parse(raw ? JSON.parse(raw) : {});
  } catch {
    return sourcesSchema.parse({});
  }
}

const initialChoice = readEndpointChoice();
/** The API key lives here, or also in sessionStorage on the user's explicit opt-in; never on disk. */
let endpointApiKey: string | null = readSessionApiKey();

function endpointBaseUrlOf(runsOn: RunsOn, endpoint: SavedEndpoint | null): string | null {
  if (runsOn !== 'endpoint' || !endpoint) return null;
  try {
    return normalizeBaseUrl(endpoint.settings.baseUrl);
  } catch {
    return null;
  }
}

function writeSources(sources: EngineSources): void {
  try {
    globalThis.localStorage?.setItem(engineSourcesStorageKey, JSON.stringify(sources));
  } catch {
    // Private modes may refuse; the choice then lasts for this visit only.
  }
}

const initialSources = readSources();

export const useEngineStore = create<EngineStoreState>()((set) => ({
  sources: initialSources,
  catalog: [],
  catalogError: null,
  selectedId: null,
  gpu: { state: 'unchecked' },
  cache: {},
  load: { state: 'idle' },
  lastSpeed: null,
  runsOn: initialChoice.runsOn,
  endpoint: initialChoice.endpoint,
  endpointKey: { present: endpointApiKey !== null, keptForSession: endpointApiKey !== null },
  policy: connectPolicyState({
    userUrl: initialSources.userUrl,
    userLibraryUrl: initialSources.userLibraryUrl,
    endpointBaseUrl: endpointBaseUrlOf(initialChoice.runsOn, initialChoice.endpoint),
    checkpointSources: checkpointSourcesWanted(),
  }),
  setSources: (sources) => set({ sources }),
  setCatalog: (catalog, catalogError = null) => set({ catalog, catalogError }),
  select: (selectedId) => set({ selectedId }),
  setGpu: (gpu) => set({ gpu }),
  setCacheStatus: (id, status) => set((state) => ({ cache: { ...state.cache, [id]: status } })),
  setLoad: (load) => set({ load }),
  setLastSpeed: (lastSpeed) => set({ lastSpeed }),
}));

// ---------------------------------------------------------------------------------------------
// Services: the async work, outside the state (style.md). The UI calls these.

let prebuilt: AppConfig | null = null;
let selfHosted: { url: string; quantizations: Quantization[] } | null = null;
let activeEngine: ExtractionEngine | null = null;
let loadController: AbortController | null = null;
const webLlmEngine = new WebLlmEngine({
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
      freeBytes,
    });
  },
});

function appUrl(path: string): string {
  return new URL(`${import.meta.env.BASE_URL}${path}`, window.location.href).href;
}

async function freeBytes(): Promise<number | null> {
  try {
    const estimate = await navigator.storage?.estimate();
    if (!estimate?.quota) return null;
    return estimate.quota - (estimate.usage ?? 0);
  } catch {
    return null;
  }
}

function failureOf(error: unknown): EngineFailure {
  const engineError =
    error instanceof EngineError
      ? error
      : new EngineError('unknown', error instanceof Error ? error.message : String(error));
  return { code: engineError.code, advice: engineError.advice, detail: engineError.detail };
}

/** Which builds the app's own `models/` folder holds (a JSON config that is a Qwen3 MLC build). */
async function probeSelfHosted(): Promise<{ url: string; quantizations: Quantization[] } | null> {
  const url = appUrl('models/');
  const found: Quantization[] = [];
  for (const quantization of quantizations) {
    try {
      const response = await fetch(`${url}${dimmemFolderName(quantization)}/mlc-chat-config.json`, {
        cache: 'no-store',
      });
      if (!response.ok) continue;
      const json: unknown = await response.json(); // An SPA fallback page is not JSON.
      if (checkChatConfig(json, quantization).ok) found.push(quantization);
    } catch {
      // Not hosted here.
    }
  }
  return found.length > 0 ? { url, quantizations: found } : null;
}

function rebuildCatalog(): void {
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

/**
 * Recomputes which hosts the choices need and saves the list for the next page load, when
 * `public/connect-policy.js` narrows the page's `connect-src` to it. Returns the new state:
 * `missing` lists what this page's policy does not allow yet (a reload fixes it).
 */
export function syncConnectPolicy(): ConnectPolicyState {
  const { sources, runsOn, endpoint } = useEngineStore.getState();
  const policy = connectPolicyState({
    userUrl: sources.userUrl,
    userLibraryUrl: sources.userLibraryUrl,
    endpointBaseUrl: endpointBaseUrlOf(runsOn, endpoint),
    checkpointSources: checkpointSourcesWanted(),
  });
  saveWantedConnectSources(policy.wanted);
  useEngineStore.setState({ policy });
  return policy;
}

function updateSources(change: Partial<EngineSources>): void {
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
    useEngineStore
      .getState()
      .setCatalog([], error instanceof Error ? error.message : String(error));
  }
}

export async function runGpuCheck(): Promise<GpuAssessment> {
  const store = useEngineStore.getState();
  store.setGpu({ state: 'checking' });
  const facts = await probeGpu();
  const selected = store.catalog.find((entry) => entry.id === useEngineStore.getState().selectedId);
  const cached = selected ? useEngineStore.getState().cache[selected.id] : undefined;
  const needed = selected
    ? Math.max(0, (cached?.totalBytes ?? selected.approxDownloadBytes) - (cached?.storedBytes ?? 0))
    : 0;
  const assessment = assessGpu(facts, { downloadBytes: needed });
  useEngineStore.getState().setGpu({ state: 'checked', assessment });
  const current = useEngineStore.getState();
  const chosen = current.catalog.find((entry) => entry.id === current.selectedId);
  if (assessment.quantization && chosen && chosen.quantization !== assessment.quantization) {
    const better = preferredEntry(current.catalog, assessment.quantization);
    if (better) selectModel(better.id);
  }
  return assessment;
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

export async function refreshCacheStatus(): Promise<void> {
  if (typeof caches === 'undefined') return;
  for (const entry of useEngineStore.getState().catalog) {
    try {
      useEngineStore
        .getState()
        .setCacheStatus(entry.id, await inspectModelCache(entry.record, caches));
    } catch {
      // A cache that cannot be read reports nothing; loading will tell.
    }
  }
}

interface ActivateOptions {
  /** The origin chats will be sent to, for the warnings; null for engines in this browser. */
  sendsTo?: string | null;
  describeFailure?: (error: unknown) => EngineFailure;
}

async function activate(
  engine: ExtractionEngine,
  modelId: string,
  options: ActivateOptions = {},
): Promise<void> {
  loadController?.abort();
  const controller = new AbortController();
  loadController = controller;
  if (activeEngine && activeEngine !== engine) await activeEngine.unload();
  activeEngine = null;
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
    activeEngine = engine;
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
  await activate(webLlmEngine, selectedId);
}

export function cancelLoad(): void {
  loadController?.abort();
}

/** Removes only this model's cached files, then downloads and loads it again. */
export async function repairModel(id: string): Promise<void> {
  const entry = useEngineStore.getState().catalog.find((e) => e.id === id);
  if (!entry) return;
  if (activeEngine?.modelId === id) await unloadModel();
  await deleteModelFromCache(entry.record, caches, { includeLibrary: true });
  selectModel(id);
  await loadSelectedModel();
}

export async function deleteCachedModel(id: string): Promise<void> {
  const entry = useEngineStore.getState().catalog.find((e) => e.id === id);
  if (!entry) return;
  if (activeEngine?.modelId === id) await unloadModel();
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

export async function unloadModel(): Promise<void> {
  const engine = activeEngine;
  activeEngine = null;
  useEngineStore.getState().setLoad({ state: 'idle' });
  await engine?.unload();
}

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
    const controller = new AbortController();
    loadController = controller;
    const library: ModelFileSource =
      folderLibrarySource(folderName, files) ??
      urlFileSource(entry.record.model_lib, undefined, 'model-library-unavailable');
    await installModel({
      record: entry.record,
      source: folderFileSource(folderName, files),
      librarySource: library,
      expectedQuantization: check.quantization,
      caches,
      signal: controller.signal,
      freeBytes,
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
    loadController = null;
    await refreshCacheStatus();
  }
}

/**
 * The demo: answers recorded from DimMem-4B for the example conversation, streamed as if live.
 * Memories it produces are labelled "recorded" (engine kind `replay`).
 */
export async function startReplayDemo(tokensPerSecond?: number): Promise<void> {
  try {
    const recordings = await loadSeedRecordings(appUrl(''));
    const options = tokensPerSecond === undefined ? {} : { tokensPerSecond };
    await activate(createReplayEngine(recordings, options), replayModelId);
  } catch (error) {
    useEngineStore
      .getState()
      .setLoad({ state: 'error', modelId: replayModelId, failure: failureOf(error) });
  }
}

/** Whether the replay demo is offered without the explicit switch (dev and test builds). */
export const replayAvailableByDefault = import.meta.env.DEV || import.meta.env.MODE === 'test';

function reportSpeed(result: ExtractResult): void {
  useEngineStore.getState().setLastSpeed({
    prefill: result.timings.prefillTokensPerSecond,
    decode: result.timings.decodeTokensPerSecond,
  });
}

/** The engine runs use, or null when none is ready in this tab. */
export function getActiveEngine(): ExtractionEngine | null {
  const engine = activeEngine;
  if (!engine || engine.status().state === 'error') return null;
  return {
    get kind() {
      return engine.kind;
    },
    get modelId() {
      return engine.modelId;
    },
    load: (modelId, onProgress, signal) => engine.load(modelId, onProgress, signal),
    extract: async (prompt, options) => {
      try {
        const result = await engine.extract(prompt, options);
        reportSpeed(result);
        return result;
      } catch (error) {
        throw plainEngineError(error);
      }
    },
    unload: () => engine.unload(),
    status: () => engine.status(),
  };
}

// ---------------------------------------------------------------------------------------------
// The OpenAI-compatible endpoint (vLLM, llama.cpp, Ollama): chosen explicitly; chats leave the
// browser for its origin, which the page's security policy must list (see connectPolicy.ts).

/** The endpoint in use, so that errors during a run name it too. */
let endpointContext: EndpointContext | null = null;

function appOrigin(): string {
  return globalThis.location?.origin ?? '';
}

/** Window errors from an endpoint, in the same plain words as a failed connection. */
function plainEngineError(error: unknown): unknown {
  if (!(error instanceof EndpointError) || endpointContext === null) return error;
  const failure = describeEndpointFailure(error, endpointContext);
  return new Error(`${failure.advice} (${failure.detail})`, { cause: error });
}

/** Runs extraction on this browser's GPU or on the saved endpoint (the latter only when saved). */
export async function chooseRunsOn(runsOn: RunsOn): Promise<void> {
  const { endpoint } = useEngineStore.getState();
  useEngineStore.setState({ runsOn });
  writeEndpointChoice({ runsOn, endpoint });
  syncConnectPolicy();
  // Chats stop going to the server the moment the user turns it off.
  if (runsOn === 'browser' && activeEngine?.kind === 'openai-endpoint') await unloadModel();
}

export interface EndpointInput {
  baseUrl: string;
  model: string;
  guidedDecoding: GuidedDecodingMode;
  stream: boolean;
  /**
   * A new key, or empty to keep the one held (see {@link forgetEndpointKey}). Held in memory; in
   * sessionStorage only with `keepKeyForSession`.
   */
  apiKey: string;
  keepKeyForSession: boolean;
}

/** The base URL, normalized, or an error that says what to type instead. */
function checkedBaseUrl(baseUrl: string): string {
  const normalized = normalizeBaseUrl(baseUrl);
  const url = new URL(normalized);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new Error(
      `Plain http:// reaches only this machine (127.0.0.1 or localhost). For a server elsewhere use https://, or forward its port (ssh -L 8000:127.0.0.1:8000 gpu-host) and use http://127.0.0.1:8000/v1.`,
    );
  }
  return normalized;
}

/**
 * Saves the endpoint (not the key, see {@link EndpointInput}) and makes it the engine's place to
 * run. A connected endpoint is disconnected: the new settings apply from the next connect.
 * `reloadNeeded`: the page's security policy does not list the endpoint's origin yet.
 */
export async function saveEndpoint(input: EndpointInput): Promise<{ reloadNeeded: boolean }> {
  const baseUrl = checkedBaseUrl(input.baseUrl);
  const model = input.model.trim();
  if (!model) {
    throw new Error('Enter the served model name (the id the server lists under /v1/models).');
  }
  const previous = useEngineStore.getState().endpoint?.settings;
  const settings = endpointSettingsSchema.parse({
    ...previous,
    baseUrl,
    guidedDecoding: input.guidedDecoding,
    stream: input.stream,
  });
  const endpoint: SavedEndpoint = { settings, model };
  // An empty field keeps the key already held (the field shows no key after a reload).
  if (input.apiKey.trim()) endpointApiKey = input.apiKey.trim();
  writeSessionApiKey(input.keepKeyForSession ? endpointApiKey : null);
  if (activeEngine?.kind === 'openai-endpoint') await unloadModel();
  useEngineStore.setState({
    runsOn: 'endpoint',
    endpoint,
    endpointKey: {
      present: endpointApiKey !== null,
      keptForSession: input.keepKeyForSession && endpointApiKey !== null,
    },
  });
  writeEndpointChoice({ runsOn: 'endpoint', endpoint });
  const policy = syncConnectPolicy();
  return { reloadNeeded: !policyAllows(policy.inForce, baseUrl) };
}

/** Forgets the API key (memory and session); the next connect sends none. */
export function forgetEndpointKey(): void {
  endpointApiKey = null;
  writeSessionApiKey(null);
  useEngineStore.setState({ endpointKey: { present: false, keptForSession: false } });
}

/** Removes the saved endpoint and its key; extraction runs in the browser again. */
export async function forgetEndpoint(): Promise<void> {
  if (activeEngine?.kind === 'openai-endpoint') await unloadModel();
  endpointApiKey = null;
  writeSessionApiKey(null);
  useEngineStore.setState({
    runsOn: 'browser',
    endpoint: null,
    endpointKey: { present: false, keptForSession: false },
  });
  writeEndpointChoice({ runsOn: 'browser', endpoint: null });
  syncConnectPolicy();
}

/**
 * Connects to the saved endpoint: asks the server for its models and checks that it serves the
 * one named. From then on, runs send each window's messages to that server.
 */
export async function connectEndpoint(): Promise<void> {
  const { endpoint, policy } = useEngineStore.getState();
  if (!endpoint) return;
  const baseUrl = normalizeBaseUrl(endpoint.settings.baseUrl);
  const context: EndpointContext = { baseUrl, appOrigin: appOrigin() };
  if (!policyAllows(policy.inForce, baseUrl)) {
    useEngineStore
      .getState()
      .setLoad({ state: 'error', modelId: endpoint.model, failure: notAllowedFailure(context) });
    return;
  }
  endpointContext = context;
  const engine = createOpenAiEndpointEngine({
    ...endpoint.settings,
    ...(endpointApiKey ? { apiKey: endpointApiKey } : {}),
  });
  await activate(engine, endpoint.model, {
    sendsTo: new URL(baseUrl).origin,
    describeFailure: (error) => describeEndpointFailure(error, context),
  });
}
