import type { ExtractedMemory } from '../memory';

/** A current memory as consolidation reads it: the memory, its id, and whose conversation it is. */
export type ConsolidationMemory = ExtractedMemory & {
  id: string;
  conversationId: string;
  /** Edited or pinned by the user: paired and shown, but never changed automatically. */
  locked?: boolean;
};

/** How two memories' similarity was measured (the CLI's `--json` and the app say which). */
export type SimilarityMethod = 'embedding' | 'lexical';

/** Exact duplicates and near-exact ones are merged by rule, without a model. */
export type RuleKind = 'exact' | 'near-exact';

/** Two memories that may be one: `older` has the earlier source time (message time, then id). */
export interface CandidatePair {
  older: string;
  newer: string;
  /** Jaccard of the lower-cased keyword sets (1 for a rule pair without keywords). */
  jaccard: number;
  similarity: number;
  method: SimilarityMethod;
  /** Set when both memories are in one rule group: merged without asking a model. */
  rule: RuleKind | null;
}

export const consolidationDecisions = ['MERGE', 'SUPERSEDE', 'KEEP_BOTH'] as const;
export type ConsolidationDecisionKind = (typeof consolidationDecisions)[number];
