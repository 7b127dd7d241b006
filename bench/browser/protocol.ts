import type { AnswerMemory } from '../../src/core/schema/answer';

/** The memories the page generates (the same on every call: the generator is seeded). */
export interface GenerateInput {
  count: number;
  /** Real recorded answers the generated memories vary. */
  templates: AnswerMemory[];
  /** Real words (LoCoMo turns) mixed into content and keywords. */
  vocabulary: string[];
}

export type WriteMethod = 'repository' | 'bare';

export interface ReadInput {
  loadRounds: number;
  /** Samples per filter kind, after `filterWarmup` unmeasured queries of that kind. */
  filterSamples: number;
  filterWarmup: number;
}

export type FilterKind = 'type' | 'keyword' | 'timeRange' | 'text' | 'combined';

/** Milliseconds, each measured in the page with `performance.now()`. */
export interface ReadOutput {
  /** getAll plus useMemoriesStore.setAll. */
  storeLoad: number[];
  bareGetAll: number[];
  /** `new MemoryIndex(memories)`: the table view's filter columns. */
  indexBuild: number;
  /** The text index, built on the first search (or while idle). */
  searchIndexBuild: number;
  filters: Record<FilterKind, { samples: number[]; meanRows: number }>;
}

export interface StoreBenchApi {
  /** Generates the memories; returns the approximate size of one as JSON, in bytes. */
  generate(input: GenerateInput): number;
  /** Writes them into an empty database with the app's schema; returns milliseconds. */
  write(method: WriteMethod): Promise<number>;
  /** Reads back what the last `write` stored, builds the filter index and queries it. */
  read(input: ReadInput): Promise<ReadOutput>;
}

declare global {
  interface Window {
    dimmemStoreBench?: StoreBenchApi;
  }
}
