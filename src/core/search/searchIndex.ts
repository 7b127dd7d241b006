import { memoryTypes, type MemoryType } from '../schema/answer';
import { memoryEmbeddingText } from './embedder';
import { IdOrder } from './idOrder';
import { tokenize } from './tokenize';
import { VectorStore } from './vectorStore';
import { WordIndex } from './wordIndex';
import type { SearchableMemory } from './types';

const typeCodes = Object.fromEntries(memoryTypes.map((type, code) => [type, code])) as Record<
  MemoryType,
  number
>;

/**
 * A memory's fields as the routes read them, each tokenized once: content, keywords, time,
 * location, reason, purpose (the structured route's `_record_text`); BM25 reads content, keywords,
 * reason and purpose (the reference's searchable text).
 */
const fieldWords = (memory: SearchableMemory) => [
  tokenize(memory.content),
  tokenize(memory.keywords.join(' ')),
  tokenize(memory.time),
  tokenize(memory.location),
  tokenize(memory.reason),
  tokenize(memory.purpose),
];
const bm25Fields = [true, true, false, false, true, true];

/**
 * Everything the three routes read, kept up to date memory by memory: document lengths, every
 * field's words with their postings (`WordIndex`), times, types, and the meaning route's vectors. Built once; adding, changing or removing a memory costs that memory only, so the
 * app can keep one in a worker while the model writes. Routes are plain functions over it.
 *
 * Each memory lives in a slot; a changed memory moves to a new slot and the old one is left dead
 * (skipped by every route) until dead slots outnumber live ones and the index compacts.
 */
export class SearchIndex<M extends SearchableMemory = SearchableMemory> {
  readonly dimensions: number;
  /** The embedder whose vectors the index holds; null until one is set. */
  vectorModel: string | null = null;

  /** Per slot; null once removed. */
  memories: (M | null)[] = [];
  private readonly slotOf = new Map<string, number>();
  ids: string[] = [];
  private idOrder = new IdOrder();
  types: number[] = [];
  /** Memory time as inclusive whole days (00:00 of first and last day); NaN when none. */
  timeStarts: number[] = [];
  timeEnds: number[] = [];
  messageTimes: number[] = [];
  /** BM25 lengths, and the words of both word routes. */
  docLengths: number[] = [];
  words = new WordIndex();
  private totalLength = 0;
  /** Meaning route: one row of `dimensions` floats per slot. */
  vectors: VectorStore;
  embeddingTexts: string[] = [];
  private dead = 0;

  constructor(memories: readonly M[] = [], options: { dimensions?: number } = {}) {
    this.dimensions = options.dimensions ?? 384;
    this.vectors = new VectorStore(this.dimensions, memories.length);
    for (const memory of memories) this.add(memory);
  }

  /** Live memories. */
  get size(): number {
    return this.memories.length - this.dead;
  }

  /** Number of documents BM25 counts, and their mean length. */
  get documentCount(): number {
    return this.size;
  }

  get averageLength(): number {
    return this.size === 0 ? 0 : this.totalLength / this.size;
  }

  frequencyOf(word: string): number {
    const id = this.words.idOf(word);
    return id === undefined ? 0 : this.words.frequency[id]!;
  }

  /** Each slot's rank in memory-id order, for breaking ties. */
  idRanks(): Int32Array {
    return this.idOrder.ranks(this.ids);
  }

  slotOfId(id: string): number | undefined {
    return this.slotOf.get(id);
  }

  get(id: string): M | undefined {
    const slot = this.slotOf.get(id);
    return slot === undefined ? undefined : (this.memories[slot] ?? undefined);
  }

  /**
   * Makes the index hold exactly `memories`: new ids are added, changed objects re-indexed (their
   * vector kept when the embedded text is unchanged), missing ids removed.
   */
  sync(memories: readonly M[]): void {
    const seen = new Set<string>();
    for (const memory of memories) {
      seen.add(memory.id);
      const slot = this.slotOf.get(memory.id);
      if (slot === undefined) this.add(memory);
      else if (this.memories[slot] !== memory) this.add(memory);
    }
    for (const id of [...this.slotOf.keys()]) if (!seen.has(id)) this.remove(id);
  }

  /** Adds a memory, or replaces the one with its id. */
  add(memory: M): void {
    const previous = this.slotOf.get(memory.id);
    let keptVector: Float32Array | null = null;
    const text = memoryEmbeddingText(memory);
    if (previous !== undefined) {
      if (this.hasVector(previous) && this.embeddingTexts[previous] === text) {
        keptVector = this.vectorAt(previous).slice();
      }
      this.remove(memory.id);
    }
    if (this.dead > 1000 && this.dead > this.size) this.compact();
    const slot = this.memories.length;
    this.memories.push(memory);
    this.slotOf.set(memory.id, slot);
    this.ids.push(memory.id);
    this.idOrder.added(slot);
    this.types.push(typeCodes[memory.memoryType] ?? -1);
    this.timeStarts.push(memory.timeStart ?? Number.NaN);
    this.timeEnds.push(memory.timeEnd ?? Number.NaN);
    this.messageTimes.push(memory.messageTimestamp);
    this.embeddingTexts.push(text);

    const length = this.words.add(slot, fieldWords(memory), bm25Fields);
    this.docLengths.push(length);
    this.totalLength += length;

    this.vectors.unset(slot);
    if (keptVector) this.vectors.set(slot, keptVector);
  }

  remove(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.words.remove(slot, bm25Fields);
    this.totalLength -= this.docLengths[slot]!;
    this.memories[slot] = null;
    this.vectors.unset(slot);
    this.slotOf.delete(id);
    this.dead += 1;
  }

  /** Sets a memory's vector (L2-normalised, `dimensions` long). */
  setVector(id: string, vector: Float32Array, model: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    if (vector.length !== this.dimensions) {
      throw new RangeError(`a vector of ${vector.length} numbers, expected ${this.dimensions}`);
    }
    if (this.vectorModel !== null && this.vectorModel !== model) this.clearVectors();
    this.vectorModel = model;
    this.vectors.set(slot, vector);
  }

  /** Whether the slot holds a vector. */
  hasVector(slot: number): boolean {
    return this.vectors.filled[slot] === 1;
  }

  /** Whether any live memory has a vector. */
  get anyVector(): boolean {
    return this.vectors.count > 0;
  }

  /** Forgets every vector (the model changed). */
  clearVectors(): void {
    this.vectors.clear();
    this.vectorModel = null;
  }

  /** Live memories without a vector, in index order. */
  memoriesWithoutVector(): M[] {
    const missing: M[] = [];
    this.memories.forEach((memory, slot) => {
      if (memory !== null && !this.hasVector(slot)) missing.push(memory);
    });
    return missing;
  }

  /** A view of a slot's vector; copy it to keep it (it moves when the store grows). */
  vectorAt(slot: number): Float32Array {
    return this.vectors.row(slot);
  }

  /** Rebuilds from the live memories, keeping their vectors. */
  private compact(): void {
    const live: { memory: M; vector: Float32Array | null }[] = [];
    this.memories.forEach((memory, slot) => {
      if (memory !== null) {
        live.push({ memory, vector: this.hasVector(slot) ? this.vectorAt(slot).slice() : null });
      }
    });
    const fresh = new SearchIndex<M>([], { dimensions: this.dimensions });
    for (const { memory } of live) fresh.add(memory);
    fresh.vectorModel = this.vectorModel;
    live.forEach(({ vector }, slot) => {
      if (vector) fresh.vectors.set(slot, vector);
    });
    Object.assign(this, fresh);
  }
}
