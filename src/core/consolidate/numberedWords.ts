import { grownArray } from '../grownArray';
import { stopwords } from '../search/stopwords';
import { tokenize } from '../search/tokenize';
import type { ConsolidationMemory } from './types';

/** A stopword: left out of a content's words. */
const STOPWORD = -1;

/**
 * Each content's words for the lexical similarity — the words search's `tokenize` finds, each
 * once, stopwords left out — numbered and kept sorted, found once per memory when first asked: a pair's shared words are counted by
 * walking two short arrays, and no set of strings is kept per memory.
 */
export class NumberedWords {
  private readonly numbers = new Map<string, number>();
  private distinct = 0;
  /** Per word number: the last position that listed it, so a repeat counts once. */
  private lastSeenIn = new Int32Array(1 << 12).fill(-1);
  /** A position's words are `words[start[p]]` up to `words[end[p]]`; start -1: not found yet. */
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private words = new Int32Array(1 << 16);
  private used = 0;

  constructor(private readonly memories: readonly ConsolidationMemory[]) {
    this.start = new Int32Array(memories.length).fill(-1);
    this.end = new Int32Array(memories.length);
  }

  /** The cosine of the two word sets: |A ∩ B| / √(|A|·|B|), 0 when either is empty. */
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
    const tokens = tokenize(this.memories[position]!.content);
    if (this.used + tokens.length > this.words.length) {
      const size = Math.max(this.words.length * 2, this.used + tokens.length);
      this.words = grownArray(this.words, size);
    }
    const from = this.used;
    for (const token of tokens) {
      const number = this.numberOf(token);
      if (number === STOPWORD || this.lastSeenIn[number] === position) continue;
      this.lastSeenIn[number] = position;
      this.words[this.used++] = number;
    }
    this.words.subarray(from, this.used).sort();
    this.start[position] = from;
    this.end[position] = this.used;
  }

  private numberOf(word: string): number {
    let number = this.numbers.get(word);
    if (number === undefined) {
      number = stopwords.has(word) ? STOPWORD : this.distinct++;
      this.numbers.set(word, number);
      if (number >= this.lastSeenIn.length) {
        this.lastSeenIn = grownArray(this.lastSeenIn, this.lastSeenIn.length * 2, -1);
      }
    }
    return number;
  }
}
