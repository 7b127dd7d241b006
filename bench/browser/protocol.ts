import type { AnswerMemory } from '../../src/core/schema/answer';

/** What the Node side hands the store benchmark page. */
export interface StoreBenchInput {
  count: number;
  /** Real recorded answers the generated memories vary. */
  templates: AnswerMemory[];
  /** Real words (LoCoMo turns) mixed into content and keywords. */
  vocabulary: string[];
  /** Write rounds per method (repository, bare idb), run in A-B-B-A order. */
  writeRounds: number;
  loadRounds: number;
  /** Samples per filter kind, after `filterWarmup` unmeasured queries of that kind. */
  filterSamples: number;
  filterWarmup: number;
}

export type FilterKind = 'type' | 'keyword' | 'timeRange' | 'text' | 'combined';

/** Milliseconds, each measured in the page with `performance.now()`. */
export interface StoreBenchOutput {
  count: number;
  /** Approximate size of one record as JSON, in bytes. */
  recordBytes: number;
  repositoryWrite: number[];
  bareWrite: number[];
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
  run(input: StoreBenchInput): Promise<StoreBenchOutput>;
}

declare global {
  interface Window {
    dimmemStoreBench?: StoreBenchApi;
  }
}
