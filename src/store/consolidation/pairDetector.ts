import type { ConsolidationMemory, Detection } from '../../core/consolidate';
import { detectPairs } from '../../core/consolidate';
import type { Embedder } from '../../core/search/embedder';
import { ContentVectorCache } from './contentVectorCache';

/** Detects pairs among the current memories; the detection says how similarity was measured. */
export type PairDetector = (
  memories: readonly ConsolidationMemory[],
  signal?: AbortSignal,
) => Promise<Detection>;

/**
 * Where detection runs: in this thread (`detectFallingBack`) or in the detection worker
 * (`detectionWorker.detect`). `embedder` is null for lexical similarity. Rejects with an
 * AbortError once `signal` is aborted (the worker at once, this thread between embedder calls).
 */
export type DetectionRunner = (
  memories: readonly ConsolidationMemory[],
  embedder: Embedder | null,
  signal: AbortSignal,
) => Promise<Detection>;

/**
 * Core's detection with the embedder when there is one; when the embedder itself fails (the
 * model closed by a decline meanwhile, its worker stopped), detection runs again by words, so the
 * pairs still come. Any other failure, and an abort, is thrown.
 */
export async function detectFallingBack(
  memories: readonly ConsolidationMemory[],
  embedder: Embedder | null,
  signal?: AbortSignal,
): Promise<Detection> {
  if (embedder) {
    let embedderFailed = false;
    const watched: Embedder = {
      modelId: embedder.modelId,
      dimensions: embedder.dimensions,
      embed: (texts, embedSignal) =>
        embedder.embed(texts, embedSignal).catch((error: unknown) => {
          embedderFailed = true;
          throw error;
        }),
    };
    try {
      return await detectPairs(memories, { embedder: watched, signal });
    } catch (error) {
      if (!embedderFailed || signal?.aborted) throw error;
    }
  }
  signal?.throwIfAborted();
  return detectPairs(memories, { signal });
}

/**
 * Detection as the app runs it, with the CLI's core: the embedding cosine over each candidate's
 * content (≥ 0.7) when `embedder` gives the loaded model, the lexical similarity (≥ 0.5) when it
 * gives null (not loaded yet, declined, failed) or when the model fails during detection. The
 * content vectors are kept for the page (ContentVectorCache) wherever `run` detects.
 */
export function createPairDetector(
  embedder: () => Embedder | null = () => null,
  run: DetectionRunner = detectFallingBack,
): PairDetector {
  const cache = new ContentVectorCache();
  return async (memories, signal = new AbortController().signal) => {
    const model = embedder();
    const detection = await run(memories, model ? cache.through(model) : null, signal);
    cache.keepOnly(new Set(memories.map((memory) => memory.content.trim())));
    return detection;
  };
}
