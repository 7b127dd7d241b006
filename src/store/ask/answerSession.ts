import type { ModelRecord } from '@mlc-ai/web-llm';

import { errorText } from '../../core/errorText';
import type { PrepareModel, WebLlmEngine } from '../../engine/webllm/webLlmEngine';
import type { AnswerSwapStatus } from './answerModelStore';
import { waitUntilGpuFree, type GpuWatch } from './gpuWatch';

/** The part of the WebLLM engine answers use. */
export type AnswerEngine = Pick<
  WebLlmEngine,
  'load' | 'unload' | 'generate' | 'modelId' | 'status'
>;

/** A model of WebLLM's list to answer with. */
export interface AnswerTarget {
  modelId: string;
  /** Its record for WebLLM (read from WebLLM's list when it is loaded). */
  record: () => Promise<ModelRecord>;
  /** Download it with the app's installer (Qwen3-4B, as the extractor); else WebLLM fetches it. */
  install: boolean;
}

export interface AnswerSessionDeps {
  /** Makes the engine answers run in; it loads the record `records` gives at that moment. */
  createEngine: (records: () => readonly ModelRecord[], prepare: PrepareModel) => AnswerEngine;
  /** The app's installer (model files into WebLLM's cache, with progress). */
  install: PrepareModel;
  /** Takes DimMem off the GPU; resolves with its id, or null when it was not there. */
  swapOutExtractor: () => Promise<string | null>;
  /** What holds the GPU for extraction: a swap waits until it is free. */
  gpu: GpuWatch;
  onStatus: (status: AnswerSwapStatus) => void;
}

export type AnswerSession = ReturnType<typeof createAnswerSession>;

/**
 * The answer model in this browser, and its turn on the GPU. One GPU rarely holds two 4B models,
 * so loading one first takes DimMem off (it reloads before the next extraction), and DimMem's
 * load first unloads it (`release`). Every use of the GPU here waits for the one before: an
 * answer, a swap and a release never overlap. A load stopped half way leaves no model loaded.
 */
export function createAnswerSession(deps: AnswerSessionDeps) {
  let target: { record: ModelRecord; install: boolean } | null = null;
  let loaded: string | null = null;
  let turn: Promise<unknown> = Promise.resolve();
  let shown: AnswerSwapStatus = { state: 'none' };
  const report = (status: AnswerSwapStatus) => {
    shown = status;
    deps.onStatus(status);
  };
  const engine = deps.createEngine(
    () => (target ? [target.record] : []),
    (record, onProgress, signal) =>
      target?.install
        ? deps.install(record, onProgress, signal)
        : Promise.resolve({ weightBytes: null }),
  );

  function inTurn<T>(work: () => Promise<T>): Promise<T> {
    const result = turn.then(work, work);
    turn = result.catch(() => undefined);
    return result;
  }

  async function swapIn(wanted: AnswerTarget, signal?: AbortSignal): Promise<void> {
    const { modelId } = wanted;
    report({ state: 'unloading', modelId, extractorId: null });
    try {
      if (loaded !== null) await engine.unload();
      loaded = null;
      const extractorId = await deps.swapOutExtractor();
      report({ state: 'unloading', modelId, extractorId });
      target = { record: await wanted.record(), install: wanted.install };
      signal?.throwIfAborted();
      await engine.load(
        modelId,
        (progress) => report({ state: 'loading', modelId, progress, extractorId }),
        signal,
      );
      loaded = modelId;
      report({ state: 'ready', modelId, extractorId });
    } catch (error) {
      target = null;
      await engine.unload();
      report(
        signal?.aborted
          ? { state: 'none' }
          : { state: 'error', modelId, message: errorText(error) },
      );
      throw error;
    }
  }

  /** Runs `work` in the GPU's turn, or returns `retry` when a swap is needed and extraction holds the GPU. */
  async function tryUse<T>(
    wanted: AnswerTarget,
    signal: AbortSignal | undefined,
    work: (engine: AnswerEngine) => Promise<T>,
  ): Promise<{ done: T } | 'retry'> {
    return inTurn(async () => {
      signal?.throwIfAborted();
      if (loaded !== wanted.modelId) {
        if (deps.gpu.busy() !== null) return 'retry';
        await swapIn(wanted, signal);
      }
      try {
        return { done: await work(engine) };
      } catch (error) {
        // A model that failed on the GPU (device lost) is not kept for the next question.
        if (engine.status().state === 'error') {
          loaded = null;
          target = null;
          await engine.unload();
          report({ state: 'none' });
        }
        throw error;
      }
    });
  }

  return {
    /**
     * Runs `work` with `wanted` loaded, swapping it in first when another model is there. A swap
     * waits, outside the turn, while a run holds the GPU: DimMem's reload for that run takes the
     * turn (`release`) meanwhile, and is never swapped out under it.
     */
    async use<T>(
      wanted: AnswerTarget,
      signal: AbortSignal | undefined,
      work: (engine: AnswerEngine) => Promise<T>,
    ): Promise<T> {
      for (;;) {
        const reason = loaded === wanted.modelId ? null : deps.gpu.busy();
        if (reason !== null) {
          const before = shown;
          report({ state: 'waiting', modelId: wanted.modelId, reason });
          try {
            await waitUntilGpuFree(deps.gpu, signal ?? new AbortController().signal);
          } catch (error) {
            report(before);
            throw error;
          }
        }
        const outcome = await tryUse(wanted, signal, work);
        if (outcome !== 'retry') return outcome.done;
      }
    },

    /** Unloads the answer model, after the answer under way (DimMem is about to load). */
    release(): Promise<void> {
      return inTurn(async () => {
        if (loaded === null) return;
        loaded = null;
        target = null;
        await engine.unload();
        report({ state: 'none' });
      });
    },

    /** The answer model on the GPU now, or null. */
    loadedModel: (): string | null => loaded,
  };
}
