/*
 * Contract notes for the views (helper 04 reads these):
 * - Fields beyond the agreed contract: ReviewPair.group (a rule pair's whole duplicate group),
 *   ReviewPair.mergedDimension (the model's dimensions), ConsolidationState.method (how similarity
 *   was measured in the last detection), and the actions setPairs / updatePairs / patch (for the
 *   store layer only; views call the service).
 * - A memory record (MemoryRecord) may carry `mergedFrom`, `supersededBy`, `validUntil`, `pinned`,
 *   `decision`, `decidedBy`, `decisionReasoning` and `removedOriginals` (originals deleted since the
 *   merge, with their text and why): see src/store/db/memoryVersionFields.ts.
 *   useMemoriesStore.memories / byId hold CURRENT memories only; earlier versions are in
 *   useMemoriesStore.earlier (by id).
 * - `memoryHistory(id)` is exported from here (it lives in ./memoryHistory.ts); it builds a new
 *   array on every call: use it in a useMemo over useMemoriesStore's `earlier` and `byId`.
 * - detect() and decide() never throw: failures land in `error` (and a pair's `error`).
 *   accept, keepBoth, acceptAllMerges, undo and setPinned set `error` AND reject.
 * - accept(id, { content }) also works on an undecided or KEEP_BOTH pair (a MERGE with that text).
 *   accept on a KEEP_BOTH proposal without text = keepBoth.
 * - setAutoMergeExact(true) runs detect() at once.
 * - modelLabel / unavailable are set by detect() already (which model would decide), and by decide().
 */
import { create } from 'zustand';

import type { ConsolidationDecision } from '../../core/consolidate';

export type ReviewPairKind = 'duplicate' | 'conflict';
export type ReviewPairStatus = 'waiting-for-model' | 'deciding' | 'proposed' | 'failed';

export interface ReviewProposal {
  decision: 'MERGE' | 'SUPERSEDE' | 'KEEP_BOTH';
  mergedContent: string;
  reasoning: string;
  /** `rule: exact duplicate`, `rule: near-exact duplicate`, or the model's label. */
  by: string;
}

export interface ReviewPair {
  /** Deterministic from the two memory ids (`reviewPairId`). */
  id: string;
  /** Current memories in useMemoriesStore; `older` has the earlier source time. */
  olderId: string;
  newerId: string;
  /** `conflict`: the proposal is SUPERSEDE. */
  kind: ReviewPairKind;
  similarity: number;
  method: 'embedding' | 'lexical';
  rule: 'exact' | 'near-exact' | null;
  proposal: ReviewProposal | null;
  /** The model's dimensions for a MERGE or SUPERSEDE (time, keywords, reason, purpose). */
  mergedDimension?: ConsolidationDecision['merged_dimension'];
  /** A rule pair: every member of its duplicate group, older first (accepting merges them all). */
  group?: string[];
  status: ReviewPairStatus;
  error?: string;
}

export interface ConsolidationProgress {
  done: number;
  total: number;
  /** Epoch ms. */
  startedAt: number;
}

export interface ConsolidationState {
  /** The review queue has been read from IndexedDB. */
  loaded: boolean;
  phase: 'idle' | 'detecting' | 'deciding' | 'waiting-for-gpu' | 'error';
  /** Open pairs, best first (kept-apart and accepted pairs are not here). */
  pairs: ReviewPair[];
  counts: { duplicates: number; conflicts: number; undecided: number };
  progress: ConsolidationProgress | null;
  /** Setting, default off, kept in localStorage (`autoMergeExactStorageKey`). */
  autoMergeExact: boolean;
  /** Which model decides, or null when none is available (`unavailable` says why). */
  modelLabel: string | null;
  unavailable: string | null;
  error: string | null;
  /** How the last detection measured similarity; null before one ran. */
  method: 'embedding' | 'lexical' | null;
  setPairs: (pairs: readonly ReviewPair[]) => void;
  /** Adds or replaces pairs (by id) and removes `removedIds`, in one update. */
  updatePairs: (put: readonly ReviewPair[], removedIds: readonly string[]) => void;
  patch: (
    patch: Partial<
      Pick<
        ConsolidationState,
        'phase' | 'progress' | 'modelLabel' | 'unavailable' | 'error' | 'method' | 'autoMergeExact'
      >
    >,
  ) => void;
}

/** localStorage key of the "merge exact duplicates automatically" setting. */
export const autoMergeExactStorageKey = 'dimmem.consolidation.autoMergeExact';

export function readAutoMergeExact(): boolean {
  try {
    return globalThis.localStorage?.getItem(autoMergeExactStorageKey) === 'true';
  } catch {
    return false;
  }
}

export function writeAutoMergeExact(on: boolean): void {
  try {
    globalThis.localStorage?.setItem(autoMergeExactStorageKey, on ? 'true' : 'false');
  } catch {
    // Storage refused (private mode): the setting lasts for this page only.
  }
}

/** The pair's kind follows its proposal: a SUPERSEDE is a conflict, anything else a duplicate. */
export const pairKind = (proposal: ReviewProposal | null): ReviewPairKind =>
  proposal?.decision === 'SUPERSEDE' ? 'conflict' : 'duplicate';

export function countPairs(pairs: readonly ReviewPair[]): ConsolidationState['counts'] {
  const counts = { duplicates: 0, conflicts: 0, undecided: 0 };
  for (const pair of pairs) {
    if (pair.kind === 'conflict') counts.conflicts += 1;
    else counts.duplicates += 1;
    if (pair.proposal === null) counts.undecided += 1;
  }
  return counts;
}

/** Best first: similarity, then the older id, then the newer id (as detection orders them). */
function sortPairs(pairs: ReviewPair[]): ReviewPair[] {
  return pairs.sort(
    (a, b) =>
      b.similarity - a.similarity ||
      (a.olderId < b.olderId ? -1 : a.olderId > b.olderId ? 1 : 0) ||
      (a.newerId < b.newerId ? -1 : a.newerId > b.newerId ? 1 : 0),
  );
}

export const useConsolidationStore = create<ConsolidationState>()((set) => ({
  loaded: false,
  phase: 'idle',
  pairs: [],
  counts: { duplicates: 0, conflicts: 0, undecided: 0 },
  progress: null,
  autoMergeExact: readAutoMergeExact(),
  modelLabel: null,
  unavailable: null,
  error: null,
  method: null,
  setPairs: (pairs) => {
    const sorted = sortPairs([...pairs]);
    set({ pairs: sorted, counts: countPairs(sorted), loaded: true });
  },
  updatePairs: (put, removedIds) =>
    set((state) => {
      const byId = new Map(state.pairs.map((pair) => [pair.id, pair]));
      for (const id of removedIds) byId.delete(id);
      for (const pair of put) byId.set(pair.id, pair);
      const pairs = sortPairs([...byId.values()]);
      return { pairs, counts: countPairs(pairs) };
    }),
  patch: (patch) => set(patch),
}));

export { memoryHistory } from './memoryHistory';
