import type { Embedder } from '../search/embedder';
import { NumberedWords } from './numberedWords';
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
    similarity[i] = rounded(dot(x, y));
  }
  return { similarity, embedded: texts.length };
}

/**
 * The dot product, added up in index order (so the same number as the plain loop), four products
 * a turn: this runs once per candidate pair over 384 dimensions.
 */
function dot(x: Float32Array, y: Float32Array): number {
  const length = x.length;
  const fours = length - (length % 4);
  let sum = 0;
  let k = 0;
  for (; k < fours; k += 4) {
    sum += x[k]! * y[k]!;
    sum += x[k + 1]! * y[k + 1]!;
    sum += x[k + 2]! * y[k + 2]!;
    sum += x[k + 3]! * y[k + 3]!;
  }
  for (; k < length; k++) sum += x[k]! * y[k]!;
  return sum;
}

/**
 * The lexical similarity (the cosine of the two contents' word sets, `LEXICAL_SIMILARITY_THRESHOLD`)
 * of each pair's two contents. Each content's words are found once and kept as sorted numbers, so
 * a pair's shared words are counted by walking two short arrays.
 */
export function lexicalSimilarity(
  memories: readonly ConsolidationMemory[],
  pairs: PairList,
): Float64Array {
  const words = new NumberedWords(memories);
  const similarity = new Float64Array(pairs.length);
  for (let i = 0; i < pairs.length; i++)
    similarity[i] = rounded(words.cosine(pairs.older[i]!, pairs.newer[i]!));
  return similarity;
}
