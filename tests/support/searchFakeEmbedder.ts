import type { Embedder } from '../../src/core/search';
import { tokenize } from '../../src/core/search';

/**
 * TEST ONLY: a deterministic stand-in for all-MiniLM-L6-v2. Each word is hashed to one of 384
 * dimensions (FNV-1a), the counts are L2-normalised: texts sharing words point the same way. It
 * counts its calls, so tests can tell cached vectors from recomputed ones.
 */
export class FakeEmbedder implements Embedder {
  readonly dimensions = 384;
  embedded: string[] = [];

  constructor(readonly modelId = 'fake-hashing-embedder/v1') {}

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.embedded.push(...texts);
    return texts.map((text) => fakeVector(text, this.dimensions));
  }
}

export function fakeVector(text: string, dimensions = 384): Float32Array {
  const vector = new Float32Array(dimensions);
  for (const word of tokenize(text)) {
    let hash = 0x811c9dc5;
    for (let i = 0; i < word.length; i++) {
      hash ^= word.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    vector[hash % dimensions] = vector[hash % dimensions]! + 1;
  }
  let norm = 0;
  for (let k = 0; k < dimensions; k++) norm += vector[k]! * vector[k]!;
  norm = Math.sqrt(norm) || 1;
  // In place: the same float32 values as a mapped copy, without a second array per text.
  for (let k = 0; k < dimensions; k++) vector[k] = vector[k]! / norm;
  return vector;
}
