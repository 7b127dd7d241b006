import type { Embedder } from '../search/embedder';
import { contentWords, wordSetCosine } from './lexicalSimilarity';
import type { PairList } from './pairList';
import type { ConsolidationMemory } from './types';

/** Texts per embedder call. */
const EMBED_BATCH = 256;

/** Similarities are kept to four decimals, so that equal pairs sort the same on every machine. */
const rounded = (value: number) => Math.round(value * 1e4) / 1e4;

/**
 * Cosine of the embedder's vectors (L2-normalised, so a dot product) of each pair's two contents.
 * Each distinct text is embedded once, in order of first appearance: duplicates share a vector.
 */
export async function embeddingSimilarity(
  memories: readonly ConsolidationMemory[],
  pairs: PairList,
  embedder: Embedder,
  signal?: AbortSignal,
): Promise<{ similarity: Float64Array; embedded: number }> {
  // Each position in a pair gets its text's slot; each distinct text is embedded once.
  const slotOf = new Int32Array(memories.length).fill(-1);
  const slots = new Map<string, number>();
  const texts: string[] = [];
  const slotFor = (position: number) => {
    if (slotOf[position] !== -1) return;
    const text = memories[position]!.content.trim();
    let slot = slots.get(text);
    if (slot === undefined) {
      slot = texts.push(text) - 1;
      slots.set(text, slot);
    }
    slotOf[position] = slot;
  };
  for (let i = 0; i < pairs.length; i++) {
    slotFor(pairs.older[i]!);
    slotFor(pairs.newer[i]!);
  }
  const vectors: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += EMBED_BATCH) {
    signal?.throwIfAborted();
    const batch = texts.slice(start, start + EMBED_BATCH);
    const answer = await embedder.embed(batch, signal);
    if (answer.length !== batch.length)
      throw new Error(`the embedder returned ${answer.length} vectors for ${batch.length} texts`);
    vectors.push(...answer);
  }
  const similarity = new Float64Array(pairs.length);
  for (let i = 0; i < pairs.length; i++) {
    const x = vectors[slotOf[pairs.older[i]!]!]!;
    const y = vectors[slotOf[pairs.newer[i]!]!]!;
    let sum = 0;
    for (let k = 0; k < x.length; k++) sum += x[k]! * y[k]!;
    similarity[i] = rounded(sum);
  }
  return { similarity, embedded: texts.length };
}

/** The lexical similarity of each pair's two contents; each content's words found once. */
export function lexicalSimilarity(
  memories: readonly ConsolidationMemory[],
  pairs: PairList,
): Float64Array {
  const words: (Set<string> | undefined)[] = new Array(memories.length);
  const wordsOf = (position: number) =>
    (words[position] ??= contentWords(memories[position]!.content));
  const similarity = new Float64Array(pairs.length);
  for (let i = 0; i < pairs.length; i++)
    similarity[i] = rounded(wordSetCosine(wordsOf(pairs.older[i]!), wordsOf(pairs.newer[i]!)));
  return similarity;
}
