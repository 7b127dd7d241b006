import type { Embedder } from '../../core/search/embedder';
import type { AnswerModelChoice } from '../ask/answerModel';
import type { GpuWatch } from '../ask/gpuWatch';
import type { ServiceDeps } from '../tabs/publish';

/** The review queue's work: detection, decisions by a model, and the user's answers. */
export interface ConsolidationService {
  /**
   * Pairs among CURRENT memories into the review queue; with `autoMergeExact`, exact and
   * near-exact duplicates (rule pairs) are merged at once.
   */
  detect(): Promise<void>;
  /**
   * Asks the answer model for the undecided pairs, best first; waits while a run holds the GPU
   * (for a model on this browser's GPU). Proposals only: nothing changes until accepted.
   */
  decide(signal?: AbortSignal): Promise<void>;
  /** Stops `decide` (the pair being decided stays undecided). */
  stop(): void;
  /** Applies a pair's proposal (or, with `edit`, the person's text): a new memory, originals kept. */
  accept(pairId: string, edit?: { content: string }): Promise<void>;
  /** The two memories stay apart; the pair is not shown again. */
  keepBoth(pairId: string): Promise<void>;
  /** Accepts every pair whose proposal (or rule) is MERGE. */
  acceptAllMerges(): Promise<void>;
  /** A merged or superseding memory goes; its originals are current again. */
  undo(memoryId: string): Promise<void>;
  /** A pinned memory is never changed automatically. */
  setPinned(memoryId: string, pinned: boolean): Promise<void>;
  setAutoMergeExact(on: boolean): void;
}

export interface ConsolidationServiceDeps extends ServiceDeps {
  /** The model that decides (`currentAnswerModel`), asked each time `decide` starts. */
  answerModel: () => AnswerModelChoice;
  /** Whether a run holds this browser's GPU (`runsGpuWatch`). */
  gpu: GpuWatch;
  /** all-MiniLM-L6-v2 when loaded; null: similarity is lexical. */
  embedder?: () => Embedder | null;
  now: () => number;
}

export function createConsolidationService(_deps: ConsolidationServiceDeps): ConsolidationService {
  const notBuilt = (): never => {
    throw new Error('not built yet');
  };
  return {
    detect: async () => notBuilt(),
    decide: async () => notBuilt(),
    stop: () => undefined,
    accept: async () => notBuilt(),
    keepBoth: async () => notBuilt(),
    acceptAllMerges: async () => notBuilt(),
    undo: async () => notBuilt(),
    setPinned: async () => notBuilt(),
    setAutoMergeExact: () => notBuilt(),
  };
}
