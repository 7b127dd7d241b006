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
  const { memories } = index;
  index.vectors.score(queryVector, memories.length, (slot, score) => {
    if (memories[slot] !== null) top.offer(slot, score);
  });
  return top.result();
}
