import { meaningCandidates } from './meaningCandidates';
import type { SearchIndex } from './searchIndex';
import { TopRanked, type Scored } from './topRanked';

/**
 * Cosine similarity of the query anchor's vector with each memory's (content + reason + purpose)
 * vector: a dot product, both being L2-normalised. Memories without a vector are left out. Only
 * the slots the int8 copies cannot rule out are scored in float32 (`meaningCandidates`); the list
 * is the one scoring every slot would give.
 */
export function embeddingRoute(
  index: SearchIndex,
  queryVector: Float32Array,
  topK: number,
): Scored[] {
  const top = new TopRanked(topK, index.idRanks());
  const { vectors } = index;
  const slots = index.memories.length;
  const candidates = meaningCandidates(vectors, queryVector, slots, topK);
  if (candidates === null) {
    vectors.score(queryVector, slots, (slot, score) => top.offer(slot, score));
  } else {
    for (const slot of candidates) top.offer(slot, vectors.exactScore(slot, queryVector));
  }
  return top.result();
}
