import type { SearchableMemory } from './types';

/**
 * Turns texts into vectors for the meaning route. The app and the CLI use all-MiniLM-L6-v2
 * (src/engine/embeddings); tests use a deterministic fake. Vectors are L2-normalised, so their dot
 * product is their cosine similarity.
 */
export interface Embedder {
  /** Names the model and every setting that changes its vectors: cached vectors carry it. */
  readonly modelId: string;
  readonly dimensions: number;
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/** What the meaning route embeds of a memory, as the reference does: content, reason, purpose. */
export function memoryEmbeddingText(
  memory: Pick<SearchableMemory, 'content' | 'reason' | 'purpose'>,
): string {
  return [memory.content.trim(), memory.reason.trim(), memory.purpose.trim()].join(' ').trim();
}
