import {
  buildMlcChatConfig,
  buildTensorCacheJson,
  checkQwen3_4BShape,
  convertibleCheckpoint,
  convertShard,
  inspectCheckpoint,
  planMlcOutput,
} from '../../core/convert';
import { CheckpointRefusedError } from '../../core/convert/errors';
import type { MlcOutputPlan, QuantizeBlock } from '../../core/convert/types';
import type { Quantization } from '../catalog/quantization';
import { BuildError, buildFailureOf } from './buildError';
import { emptyProgress, progressReporter } from './buildProgress';
import type { BuildProgress } from './buildProgress';
import {
  ensureLibrary,
  hasShard,
  outputRecord,
  writeLoadableMarkers,
  writeShard,
  writeTokenizer,
} from './buildOutput';
import type { BuildState } from './buildState';
import {
  newBuildState,
  pinnedOf,
  withPhase,
  withShardDone,
  withoutShard,
  writeBuildState,
} from './buildState';
import { checkpointFileUrl, pinCheckpoint } from './huggingFaceClient';
import type { CheckpointSource } from './huggingFaceClient';
import { builtModelOf, sourceHashesRead } from './builtModel';
import type { BuiltModel } from './builtModel';
import { createRangeReader } from './rangeReader';

export interface BuildDeps {
  caches: CacheStorage;
  fetch: typeof fetch;
  /** WebLLM's prebuilt Qwen3-4B library for the quantization (stored with the model). */
  libraryUrl: string;
  /** Workers' quantizer; the inline one when absent (tests). */
  quantizeBlock?: QuantizeBlock;
  /** Blocks quantizing at once: the worker count. */
  concurrency?: number;
  /** False only for a developer's stand-in checkpoint (any Qwen3 shape, e.g. a tiny test one). */
  requireQwen3_4B: boolean;
  /**
   * Output shard cap; tvmjs's 32 MiB when absent. Smaller only for a developer's stand-in
   * checkpoint, so that a tiny test model still has several shards to pause and resume between.
   */
  shardCapBytes?: number;
  signal: AbortSignal;
  onProgress: (progress: BuildProgress) => void;
  /** Every state change, already stored. */
  onState?: (state: BuildState) => void;
  freeBytes?: () => Promise<number | null>;
  now?: () => number;
  /** Retry waits of the range reader (ms), shortened in tests. */
  retryDelayMs?: (attempt: number) => number;
}

export interface StartOptions {
  source: CheckpointSource;
  quantization: Quantization;
  contextWindowSize: number;
  /** The model URL for the pinned revision (see buildOutput.ts). */
  modelUrlFor: (revision: string) => string;
}

/** Pins the checkpoint's revision, stores the new build's state, and runs it. */
export async function startModelBuild(options: StartOptions, deps: BuildDeps): Promise<BuiltModel> {
  const now = deps.now ?? Date.now;
  deps.onProgress(emptyProgress('pinning'));
  const pinned = await pinCheckpoint(options.source, deps.fetch, deps.signal);
  const state = newBuildState(
    pinned,
    options.quantization,
    options.contextWindowSize,
    options.modelUrlFor(pinned.revision),
    now(),
  );
  await writeBuildState(deps.caches, state);
  deps.onState?.(state);
  return runModelBuild(state, deps);
}

/**
 * Runs (or resumes) a build from its stored state: skips the output shards already stored,
 * converts the others in order, then writes the tokenizer, the model library, the chat config and
 * last `tensor-cache.json` — the file WebLLM needs first — so nothing loadable exists until the
 * whole model does. A failure is stored in the state (with the shards finished so far) and thrown;
 * an abort (pause, cancel) is thrown as it is, for the caller to record.
 */
export async function runModelBuild(initial: BuildState, deps: BuildDeps): Promise<BuiltModel> {
  const now = deps.now ?? Date.now;
  let state = initial.phase === 'running' ? initial : withPhase(initial, 'running', now());
  const save = async (next: BuildState) => {
    state = next;
    await writeBuildState(deps.caches, state);
    deps.onState?.(state);
  };
  if (state !== initial) await save(state);

  const { progress, report, restartClock } = progressReporter(deps.onProgress, now);

  const pinned = pinnedOf(state);
  const reader = createRangeReader({
    urlOf: (file) => checkpointFileUrl(pinned, file),
    knownSize: (file) => pinned.files[file]?.size,
    fetch: deps.fetch,
    signal: deps.signal,
    retryDelayMs: deps.retryDelayMs,
    onBytes: (bytes) => {
      progress.bytesRead += bytes;
      report();
    },
  });

  try {
    report(true);
    const checkpoint = convertibleCheckpoint(await inspectCheckpoint(reader, deps.signal));
    if (deps.requireQwen3_4B) {
      const refusals = checkQwen3_4BShape(checkpoint.config);
      if (refusals.length > 0) throw new CheckpointRefusedError(refusals);
    }
    const plan: MlcOutputPlan = planMlcOutput(checkpoint.config, state.quantization, {
      loadingOrder: checkpoint.loadingOrder,
      totalParams: checkpoint.totalParams,
      ...(deps.shardCapBytes ? { shardCapBytes: deps.shardCapBytes } : {}),
    });
    if (state.shardCount !== null && state.shardCount !== plan.shards.length) {
      // Same revision, another plan: the converter changed since. Start the shards over.
      await save({ ...state, shards: {}, shardCount: plan.shards.length, updatedAt: now() });
    } else if (state.shardCount === null) {
      await save({ ...state, shardCount: plan.shards.length, updatedAt: now() });
    }

    // Shards the state lists but the cache lost (cleared, evicted) are converted again.
    const todo: number[] = [];
    for (const [index, shard] of plan.shards.entries()) {
      const stored = state.shards[shard.dataPath];
      if (
        stored &&
        stored.nbytes === shard.nbytes &&
        (await hasShard(deps.caches, state.modelUrl, shard.dataPath))
      ) {
        continue;
      }
      if (stored) await save(withoutShard(state, shard.dataPath, now()));
      todo.push(index);
    }
    const tokenizerSize =
      state.files['tokenizer.json']?.size ?? (await reader.size('tokenizer.json'));
    const bytesLeft = todo.reduce((sum, i) => sum + (plan.shards[i]?.nbytes ?? 0), 0);
    const free = (await deps.freeBytes?.()) ?? null;
    if (free !== null && free < bytesLeft + tokenizerSize) {
      const mb = (bytes: number) => Math.ceil(bytes / 2 ** 20);
      throw new BuildError(
        'storage-full',
        `${mb(bytesLeft + tokenizerSize)} MB still to store, ${Math.floor(free / 2 ** 20)} MB free`,
      );
    }

    const recordsOf = (index: number) => plan.shards[index]?.records.length ?? 0;
    // Speed and time left count the weights' download only, not the headers read before.
    restartClock();
    progress.step = 'converting';
    progress.shardsTotal = plan.shards.length;
    progress.tensorsTotal = plan.recordCount;
    progress.shardsDone = plan.shards.length - todo.length;
    progress.tensorsDone = plan.shards.reduce(
      (sum, _shard, i) => (todo.includes(i) ? sum : sum + recordsOf(i)),
      0,
    );
    progress.bytesToRead =
      todo.reduce((sum, i) => sum + (plan.shards[i]?.sourceBytes ?? 0), 0) + tokenizerSize;
    report(true);

    const siblings = new Map<string, Uint8Array>();
    for (const index of todo) {
      deps.signal.throwIfAborted();
      const before = progress.tensorsDone;
      const converted = await convertShard(
        plan,
        index,
        { reader, tensors: checkpoint.tensors },
        {
          quantizeBlock: deps.quantizeBlock,
          concurrency: deps.concurrency,
          signal: deps.signal,
          siblings,
          onProgress: (shardProgress) => {
            progress.tensorsDone = before + shardProgress.tensorsDone;
            report();
          },
        },
      );
      deps.signal.throwIfAborted();
      await writeShard(
        deps.caches,
        state.modelUrl,
        converted.dataPath,
        converted.bytes as Uint8Array<ArrayBuffer>,
      );
      await save(
        withShardDone(
          state,
          converted.dataPath,
          { md5: converted.md5, nbytes: converted.nbytes },
          now(),
        ),
      );
      progress.shardsDone += 1;
      progress.tensorsDone = before + recordsOf(index);
      report(true);
    }

    progress.step = 'finishing';
    report(true);
    const tokenizer = await reader.read('tokenizer.json', 0, tokenizerSize, deps.signal);
    const chatConfig = buildMlcChatConfig(checkpoint.config, state.quantization, {
      contextWindowSize: state.contextWindowSize,
      tokenizerFiles: ['tokenizer.json'],
    });
    const md5s = plan.shards.map((shard) => {
      const done = state.shards[shard.dataPath];
      if (!done) throw new Error(`${shard.dataPath} is not finished.`);
      return done.md5;
    });
    const tensorCache = buildTensorCacheJson(plan, md5s);
    const record = outputRecord(state.modelUrl, deps.libraryUrl);
    await writeTokenizer(deps.caches, state.modelUrl, tokenizer as Uint8Array<ArrayBuffer>);
    await ensureLibrary(deps.caches, record, deps.fetch, deps.signal);
    deps.signal.throwIfAborted();
    await writeLoadableMarkers(deps.caches, record, chatConfig, tensorCache);
    await save(withPhase(state, 'done', now()));
    report(true);

    return builtModelOf(state, sourceHashesRead(checkpoint, state), {
      at: now(),
      developerHost: !deps.requireQwen3_4B,
    });
  } catch (error) {
    if (deps.signal.aborted) throw deps.signal.reason ?? error;
    const failure = buildFailureOf(error);
    await save(withPhase(state, 'failed', now(), failure)).catch(() => {});
    throw error instanceof BuildError
      ? error
      : new BuildError(failure.code, failure.detail, { cause: error });
  }
}
