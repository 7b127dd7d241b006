import type { Embedder } from '../../core/search';

/**
 * The embedder, embedding each distinct text once for the whole command: a second pass compares
 * mostly the memories the first one compared, and the vectors of a text never change.
 */
export function rememberingEmbedder(embedder: Embedder): Embedder {
  const vectors = new Map<string, Float32Array>();
  return {
    modelId: embedder.modelId,
    dimensions: embedder.dimensions,
    async embed(texts, signal) {
      const missing = [...new Set(texts.filter((text) => !vectors.has(text)))];
      if (missing.length > 0) {
        const embedded = await embedder.embed(missing, signal);
        missing.forEach((text, index) => vectors.set(text, embedded[index]!));
      }
      return texts.map((text) => vectors.get(text)!);
    },
  };
}
