import { create } from 'zustand';

import { buildFailureOf } from '../../engine/convert/buildError';
import type { BuildFailure, BuildState } from '../../engine/convert/buildState';
import {
  asFoundAfterLoad,
  deleteBuildState,
  readBuildState,
  withPhase,
  writeBuildState,
} from '../../engine/convert/buildState';
import { officialCheckpoint } from '../../engine/convert/huggingFaceClient';
import type { BuildProgress, BuiltModel } from '../../engine/convert/buildModel';
import type { DirectoryLike } from '../../engine/convert/saveToFolder';
import { builtModelId } from '../../engine/catalog/modelCatalog';
import type { CatalogEntry } from '../../engine/catalog/modelCatalog';
import type { Quantization } from '../../engine/catalog/quantization';
import {
  initModelCatalog,
  selectModel,
  syncConnectPolicy,
  useEngineStore,
} from '../engine/engineStore';
import { registerBuiltModel } from './modelBuildRegistry';
import { readDevCheckpointHost, setBuildActive } from './modelBuildSettings';
import type { DevCheckpointHost } from './modelBuildSettings';

/** Saving a build to a folder on disk. */
export type FolderSave =
  | { state: 'idle' }
  | { state: 'saving'; modelId: string; filesDone: number; filesTotal: number; bytes: number }
  | { state: 'saved'; modelId: string; folderName: string; files: number }
  | { state: 'error'; modelId: string; message: string };

export interface ModelBuildStoreState {
  /** The stored build (running, paused, failed), null when none. */
  build: BuildState | null;
  /** True while this tab runs it. */
  running: boolean;
  /** What the running build reports. */
  progress: BuildProgress | null;
  /** A failure outside the stored state (a refusal before pinning, a lock held elsewhere). */
  failure: BuildFailure | null;
  devHost: DevCheckpointHost | null;
  freeBytes: number | null;
  folderSave: FolderSave;
}

export const useModelBuildStore = create<ModelBuildStoreState>()(() => ({
  build: null,
  running: false,
  progress: null,
  failure: null,
  devHost: readDevCheckpointHost(),
  freeBytes: null,
  folderSave: { state: 'idle' },
}));

const set = useModelBuildStore.setState;

/** Bytes the published checkpoint downloads: Qwen3-4B's 4.02 B weights in bf16, plus tokenizer. */
export const checkpointDownloadBytes = 8_056_000_000;
/** Bytes a build keeps: the weights (either quantization) plus tokenizer and configs. */
export const buildKeptBytes = 2_262_920_192 + 11_500_000;
/** Memory a build holds at most: the largest output shard (the 185.5 MiB embedding) and blocks. */
export const buildMemoryBytes = 400 * 2 ** 20;

async function freeBytes(): Promise<number | null> {
  try {
    const estimate = await navigator.storage?.estimate();
    if (!estimate?.quota) return null;
    return estimate.quota - (estimate.usage ?? 0);
  } catch {
    return null;
  }
}

function cachesOrNull(): CacheStorage | null {
  return typeof caches === 'undefined' ? null : caches;
}

let controller: AbortController | null = null;
/** Why the running build was stopped: it decides what is kept. */
let stopReason: 'pause' | 'cancel' | null = null;

/** Reads the stored build (a reload or a crash leaves it "running": it is paused then). */
export async function initModelBuild(): Promise<void> {
  set({ devHost: readDevCheckpointHost(), freeBytes: await freeBytes() });
  const storage = cachesOrNull();
  if (!storage || useModelBuildStore.getState().running) return;
  const stored = await readBuildState(storage);
  if (stored?.phase === 'done') {
    // The tab stopped after the last file but before listing the model: list it now.
    const convert = await import('../../engine/convert');
    const built = convert.builtModelFromState(stored, Date.now());
    if (built) await finish(built, storage);
    return;
  }
  set({ build: stored ? asFoundAfterLoad(stored) : null });
  setBuildActive(stored !== null);
  syncConnectPolicy();
}

/** The quantization the GPU check picked (q4f16_1 when it has not run or found none). */
export function buildQuantization(): Quantization {
  const { gpu } = useEngineStore.getState();
  return (gpu.state === 'checked' ? gpu.assessment.quantization : null) ?? 'q4f16_1';
}

function libraryUrlFor(quantization: Quantization): string | null {
  const base = useEngineStore
    .getState()
    .catalog.find((e) => e.sourceKind === 'prebuilt-base' && e.quantization === quantization);
  return base?.record.model_lib ?? null;
}

/** Runs `work` unless another tab builds already (one build at a time per browser). */
async function exclusively(work: () => Promise<void>): Promise<boolean> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) {
    await work();
    return true;
  }
  return locks.request('dimmem-model-build', { ifAvailable: true }, async (lock) => {
    if (!lock) return false;
    await work();
    return true;
  });
}

async function finish(built: BuiltModel, storage: CacheStorage): Promise<void> {
  registerBuiltModel({
    modelUrl: built.modelUrl,
    quantization: built.quantization,
    hub: built.hub,
    repo: built.repo,
    revision: built.revision,
    sourceHashes: built.sourceHashes,
    developerHost: built.developerHost,
    builtAt: built.builtAt,
  });
  await deleteBuildState(storage);
  set({ build: null, progress: null });
  setBuildActive(false);
  await initModelCatalog();
  selectModel(builtModelId(built));
}

/** Starts a new build (`state` null) or resumes the stored one. */
async function run(resume: BuildState | null): Promise<void> {
  const storage = cachesOrNull();
  if (!storage || useModelBuildStore.getState().running) return;
  const quantization = resume?.quantization ?? buildQuantization();
  const libraryUrl = libraryUrlFor(quantization);
  if (!libraryUrl) {
    set({
      failure: {
        code: 'unknown',
        advice: 'The model list is not loaded yet.',
        detail: 'WebLLM’s prebuilt library list',
      },
    });
    return;
  }
  const devHost = useModelBuildStore.getState().devHost;
  const local = new AbortController();
  controller = local;
  stopReason = null;
  set({ running: true, failure: null, progress: null });
  setBuildActive(true);
  syncConnectPolicy();
  let pool: { close(): void } | null = null;
  const started = await exclusively(async () => {
    try {
      const convert = await import('../../engine/convert');
      const size = convert.quantizeWorkerCount(navigator.hardwareConcurrency);
      const workers = convert.createQuantizePool(size);
      pool = workers;
      const deps = {
        caches: storage,
        fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
        libraryUrl,
        quantizeBlock: workers.quantizeBlock,
        concurrency: size,
        requireQwen3_4B: devHost === null,
        shardCapBytes: devHost?.shardCapBytes ?? undefined,
        signal: local.signal,
        onProgress: (progress: BuildProgress) => set({ progress }),
        onState: (build: BuildState) => set({ build }),
        freeBytes,
      };
      const built = resume
        ? await convert.runModelBuild(resume, deps)
        : await convert.startModelBuild(
            {
              source: devHost
                ? { hub: devHost.hub, repo: officialCheckpoint.repo }
                : { ...officialCheckpoint },
              quantization,
              contextWindowSize: useEngineStore.getState().sources.contextWindowSize,
              modelUrlFor: (revision) =>
                convert.buildModelUrl(
                  devHost
                    ? { hub: devHost.hub, repo: officialCheckpoint.repo }
                    : officialCheckpoint,
                  revision,
                  quantization,
                ),
            },
            deps,
          );
      await finish(built, storage);
    } catch (error) {
      await afterStop(error, storage);
    }
  });
  if (!started) {
    set({
      failure: {
        code: 'unknown',
        advice: 'A build already runs in another tab of this browser.',
        detail: 'Close that tab, or wait for it to finish.',
      },
    });
  }
  (pool as { close(): void } | null)?.close();
  if (controller === local) controller = null;
  set({ running: false, freeBytes: await freeBytes() });
}

async function afterStop(error: unknown, storage: CacheStorage): Promise<void> {
  const current = useModelBuildStore.getState().build;
  if (stopReason === 'cancel') {
    await discardStored(storage, current);
    return;
  }
  if (stopReason === 'pause') {
    if (current && current.phase !== 'done') {
      const paused = withPhase(current, 'paused', Date.now());
      await writeBuildState(storage, paused);
      set({ build: paused, progress: null });
    }
    return;
  }
  // A failure: the runner stored it in the state when it had one; before pinning it had none.
  const stored = await readBuildState(storage);
  if (stored) set({ build: stored, failure: null });
  else set({ failure: buildFailureOf(error) });
  setBuildActive(stored !== null);
}

/** Removes everything a build wrote: its output shards and files, then its state. */
async function discardStored(storage: CacheStorage, build: BuildState | null): Promise<void> {
  if (build) {
    const convert = await import('../../engine/convert');
    await convert.deleteBuildOutput(storage, convert.outputRecord(build.modelUrl, ''));
  }
  await deleteBuildState(storage);
  set({ build: null, progress: null, failure: null });
  setBuildActive(false);
  syncConnectPolicy();
}

export function startBuild(): Promise<void> {
  return run(null);
}

export function resumeBuild(): Promise<void> {
  const build = useModelBuildStore.getState().build;
  return build ? run(build) : Promise.resolve();
}

/** Stops the running build; finished output shards stay for the resume. */
export function pauseBuild(): void {
  stopReason = 'pause';
  controller?.abort();
}

/** Stops the build (when running) and removes everything it wrote. */
export async function cancelBuild(): Promise<void> {
  if (useModelBuildStore.getState().running) {
    stopReason = 'cancel';
    controller?.abort();
    return;
  }
  const storage = cachesOrNull();
  if (storage) await discardStored(storage, useModelBuildStore.getState().build);
}

export function clearBuildFailure(): void {
  set({ failure: null });
}

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
  const storage = cachesOrNull();
  if (!picker || !storage || !entry.build) return;
  let parent;
  try {
    parent = await picker({ mode: 'readwrite', id: 'dimmem-model-build' });
  } catch {
    return; // The user closed the picker.
  }
  const folderName = `DimMem-4B-${entry.quantization}-MLC`;
  set({
    folderSave: { state: 'saving', modelId: entry.id, filesDone: 0, filesTotal: 0, bytes: 0 },
  });
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
        set({
          folderSave: {
            state: 'saving',
            modelId: entry.id,
            filesDone: progress.filesDone,
            filesTotal: progress.filesTotal,
            bytes: progress.bytesWritten,
          },
        }),
    });
    set({
      folderSave: {
        state: 'saved',
        modelId: entry.id,
        folderName: result.folderName,
        files: result.files.length,
      },
    });
  } catch (error) {
    const message =
      error instanceof DOMException && error.name === 'QuotaExceededError'
        ? 'The disk is full: free space and save again.'
        : error instanceof Error
          ? error.message
          : String(error);
    set({ folderSave: { state: 'error', modelId: entry.id, message } });
  }
}
