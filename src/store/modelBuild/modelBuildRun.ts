import { buildFailureOf } from '../../engine/convert/buildError';
import type { BuildState } from '../../engine/convert/buildState';
import {
  asFoundAfterLoad,
  deleteBuildState,
  readBuildState,
  withPhase,
  writeBuildState,
} from '../../engine/convert/buildState';
import { officialCheckpoint } from '../../engine/convert/huggingFaceClient';
import type { BuildProgress } from '../../engine/convert/buildProgress';
import type { BuiltModel } from '../../engine/convert/builtModel';
import { builtModelId } from '../../engine/catalog/modelCatalog';
import type { Quantization } from '../../engine/catalog/quantization';
import { cacheStorageOrNull, freeStorageBytes } from '../engine/browserEnvironment';
import { syncConnectPolicy } from '../engine/connectPolicySync';
import { useEngineStore } from '../engine/engineStore';
import { initModelCatalog, selectModel } from '../engine/modelChoice';
import { registerBuiltModel } from './modelBuildRegistry';
import { readDevCheckpointHost, setBuildActive } from './modelBuildSettings';
import { useModelBuildStore } from './modelBuildStore';

let controller: AbortController | null = null;
/** Why the running build was stopped: it decides what is kept. */
let stopReason: 'pause' | 'cancel' | null = null;

const buildStore = () => useModelBuildStore.getState();

/** Reads the stored build (a reload or a crash leaves it "running": it is paused then). */
export async function initModelBuild(): Promise<void> {
  buildStore().setSurroundings(readDevCheckpointHost(), await freeStorageBytes());
  const storage = cacheStorageOrNull();
  if (!storage || buildStore().running) return;
  const stored = await readBuildState(storage);
  if (stored?.phase === 'done') {
    // The tab stopped after the last file but before listing the model: list it now.
    const convert = await import('../../engine/convert');
    const built = convert.builtModelFromState(stored, Date.now());
    if (built) await finish(built, storage);
    return;
  }
  buildStore().setBuild(stored ? asFoundAfterLoad(stored) : null);
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
  buildStore().ended({ discarded: false });
  setBuildActive(false);
  await initModelCatalog();
  selectModel(builtModelId(built));
}

/** Starts a new build (`state` null) or resumes the stored one. */
async function run(resume: BuildState | null): Promise<void> {
  const storage = cacheStorageOrNull();
  if (!storage || buildStore().running) return;
  const quantization = resume?.quantization ?? buildQuantization();
  const libraryUrl = libraryUrlFor(quantization);
  if (!libraryUrl) {
    buildStore().setFailure({
      code: 'unknown',
      advice: 'The model list is not loaded yet.',
      detail: 'WebLLM’s prebuilt library list',
    });
    return;
  }
  const devHost = buildStore().devHost;
  const local = new AbortController();
  controller = local;
  stopReason = null;
  buildStore().started();
  setBuildActive(true);
  syncConnectPolicy();
  let pool: { close(): void } | null = null;
  const started = await exclusively(async () => {
    try {
      const convert = await import('../../engine/convert');
      const size = convert.quantizeWorkerCount(navigator.hardwareConcurrency);
      const workers = convert.createQuantizePool(size);
      pool = workers;
      const checkpoint = devHost
        ? { hub: devHost.hub, repo: officialCheckpoint.repo }
        : officialCheckpoint;
      const deps = {
        caches: storage,
        fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
        libraryUrl,
        quantizeBlock: workers.quantizeBlock,
        concurrency: size,
        requireQwen3_4B: devHost === null,
        shardCapBytes: devHost?.shardCapBytes ?? undefined,
        signal: local.signal,
        onProgress: (progress: BuildProgress) => buildStore().setProgress(progress),
        onState: (build: BuildState) => buildStore().setBuild(build),
        freeBytes: freeStorageBytes,
      };
      const built = resume
        ? await convert.runModelBuild(resume, deps)
        : await convert.startModelBuild(
            {
              source: { ...checkpoint },
              quantization,
              contextWindowSize: useEngineStore.getState().sources.contextWindowSize,
              modelUrlFor: (revision) => convert.buildModelUrl(checkpoint, revision, quantization),
            },
            deps,
          );
      await finish(built, storage);
    } catch (error) {
      await afterStop(error, storage);
    }
  });
  if (!started) {
    buildStore().setFailure({
      code: 'unknown',
      advice: 'A build already runs in another tab of this browser.',
      detail: 'Close that tab, or wait for it to finish.',
    });
  }
  (pool as { close(): void } | null)?.close();
  if (controller === local) controller = null;
  buildStore().stopped(await freeStorageBytes());
}

async function afterStop(error: unknown, storage: CacheStorage): Promise<void> {
  const current = buildStore().build;
  if (stopReason === 'cancel') {
    await discardStored(storage, current);
    return;
  }
  if (stopReason === 'pause') {
    if (current && current.phase !== 'done') {
      const paused = withPhase(current, 'paused', Date.now());
      await writeBuildState(storage, paused);
      buildStore().paused(paused);
    }
    return;
  }
  // A failure: the runner stored it in the state when it had one; before pinning it had none.
  const stored = await readBuildState(storage);
  if (stored) buildStore().failedAt(stored);
  else buildStore().setFailure(buildFailureOf(error));
  setBuildActive(stored !== null);
}

/** Removes everything a build wrote: its output shards and files, then its state. */
async function discardStored(storage: CacheStorage, build: BuildState | null): Promise<void> {
  if (build) {
    const convert = await import('../../engine/convert');
    await convert.deleteBuildOutput(storage, convert.outputRecord(build.modelUrl, ''));
  }
  await deleteBuildState(storage);
  buildStore().ended({ discarded: true });
  setBuildActive(false);
  syncConnectPolicy();
}

export function startBuild(): Promise<void> {
  return run(null);
}

export function resumeBuild(): Promise<void> {
  const build = buildStore().build;
  return build ? run(build) : Promise.resolve();
}

/** Stops the running build; finished output shards stay for the resume. */
export function pauseBuild(): void {
  stopReason = 'pause';
  controller?.abort();
}

/** Stops the build (when running) and removes everything it wrote. */
export async function cancelBuild(): Promise<void> {
  if (buildStore().running) {
    stopReason = 'cancel';
    controller?.abort();
    return;
  }
  const storage = cacheStorageOrNull();
  if (storage) await discardStored(storage, buildStore().build);
}

export function clearBuildFailure(): void {
  buildStore().setFailure(null);
}
