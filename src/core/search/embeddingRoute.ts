import type { SearchIndex } from './searchIndex';
import { TopRanked, type Scored } from './topRanked';

/**
 * Cosine similarity of the query anchor's vector with each memory's (content + reason + purpose)
 * vector: a dot product, both being L2-normalised. Memories without a vector are left out.
 */
export function embeddingRoute(
  index: SearchIndex,
  queryVector: Float32Array,
  topK: number,
): Scored[] {
  const top = new TopRanked(topK, index.ids);
  const { vectors, hasVector, dimensions } = index;
  const slots = index.memories.length;
  for (let slot = 0; slot < slots; slot++) {
    if (!hasVector[slot] || index.memories[slot] === null) continue;
    const offset = slot * dimensions;
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    let k = 0;
    // Four sums at once: fewer dependent additions per step, about twice as fast in V8.
    for (; k + 3 < dimensions; k += 4) {
      a += vectors[offset + k]! * queryVector[k]!;
      b += vectors[offset + k + 1]! * queryVector[k + 1]!;
      c += vectors[offset + k + 2]! * queryVector[k + 2]!;
      d += vectors[offset + k + 3]! * queryVector[k + 3]!;
    }
    for (; k < dimensions; k++) a += vectors[offset + k]! * queryVector[k]!;
    top.offer(slot, a + b + c + d);
  }
  return top.result();
}
