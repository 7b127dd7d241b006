import type { ConsolidationMemory, Detection } from '../../core/consolidate';
import { detectPairs } from '../../core/consolidate';
import type { Embedder } from '../../core/search/embedder';
import { ContentVectorCache } from './contentVectorCache';

/** Detects pairs among the current memories; the detection says how similarity was measured. */
export type PairDetector = (memories: readonly ConsolidationMemory[]) => Promise<Detection>;

/**
 * Detection as the app runs it, with the CLI's core: the embedding cosine over each candidate's
 * content (≥ 0.7) when `embedder` gives the loaded model, the lexical similarity (≥ 0.5) when it
 * gives null (not loaded yet, declined, failed) or when the model fails during detection — the
 * pairs still come, measured by words. Content vectors are kept for the page (ContentVectorCache).
 */
export function createPairDetector(embedder: () => Embedder | null = () => null): PairDetector {
  const cache = new ContentVectorCache();
  return async (memories) => {
    const model = embedder();
    if (model) {
      try {
        const detection = await detectPairs(memories, { embedder: cache.through(model) });
        cache.keepOnly(new Set(memories.map((memory) => memory.content.trim())));
        return detection;
      } catch {
        // The model was closed (declined meanwhile) or its worker died: measured by words.
      }
    }
    return detectPairs(memories);
  };
}
