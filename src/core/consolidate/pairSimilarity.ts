import type { Embedder } from '../search/embedder';
import { contentWords } from './lexicalSimilarity';
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
 * The lexical similarity (`wordSetCosine` of `contentWords`) of each pair's two contents. Each
 * content's words are found once and kept as sorted numbers, so a pair's shared words are counted
 * by walking two short arrays.
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

class NumberedWords {
  private readonly numbers = new Map<string, number>();
  /** A position's words are `words[start[p]]` up to `words[end[p]]`; start -1: not found yet. */
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private words = new Int32Array(1 << 16);
  private used = 0;

  constructor(private readonly memories: readonly ConsolidationMemory[]) {
    this.start = new Int32Array(memories.length).fill(-1);
    this.end = new Int32Array(memories.length);
  }

  /** |A ∩ B| / √(|A|·|B|), as `wordSetCosine` computes it. */
  cosine(a: number, b: number): number {
    this.find(a);
    this.find(b);
    const { words, start, end } = this;
    const sizeA = end[a]! - start[a]!;
    const sizeB = end[b]! - start[b]!;
    if (sizeA === 0 || sizeB === 0) return 0;
    let shared = 0;
    let i = start[a]!;
    let j = start[b]!;
    while (i < end[a]! && j < end[b]!) {
      const difference = words[i]! - words[j]!;
      if (difference === 0) shared += 1;
      if (difference <= 0) i += 1;
      if (difference >= 0) j += 1;
    }
    return shared / Math.sqrt(sizeA * sizeB);
  }

  private find(position: number): void {
    if (this.start[position] !== -1) return;
    const found = contentWords(this.memories[position]!.content);
    if (this.used + found.size > this.words.length) {
      const grown = new Int32Array(Math.max(this.words.length * 2, this.used + found.size));
      grown.set(this.words);
      this.words = grown;
    }
    const from = this.used;
    for (const word of found) {
      let number = this.numbers.get(word);
      if (number === undefined) this.numbers.set(word, (number = this.numbers.size));
      this.words[this.used++] = number;
    }
    this.words.subarray(from, this.used).sort();
    this.start[position] = from;
    this.end[position] = this.used;
  }
}
