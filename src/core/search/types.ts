import type { FilterableMemory } from '../filter/types';
import type { MemoryType } from '../schema/answer';

/**
 * What search needs from a memory: what the filter needs but where it came from. The store's
 * records, the CLI's memory lines and the benchmark's synthetic memories all have these fields, so
 * one implementation ranks them all. The `id` must be unique and stable: ties between equal scores
 * are broken by it, so the CLI and the app agree.
 */
export type SearchableMemory = Omit<FilterableMemory, 'messageId' | 'conversationId' | 'edited'>;

/** The memory field that holds the answer, as the reference's query analysis names it. */
export const answerDims = [
  'content',
  'time',
  'location',
  'reason',
  'purpose',
  'keywords',
  '',
] as const;
export type AnswerDim = (typeof answerDims)[number];

/**
 * A question turned into a retrieval query: the shape of the reference's
 * `LONGMEMEVAL_QUERY_ANALYSIS_PROMPT` answer, written either by a model or by the deterministic
 * parser (questionParser.ts).
 */
export interface QueryAnalysis {
  /** The question rewritten for retrieval ("I/me/my" → "the user"). */
  query_anchor: string;
  need_assistant_context: boolean;
  dimension: {
    target_memory_type: MemoryType[];
    keywords: string[];
    /** `on/before/after/around <time>` or `between <start> and <end>`, or `""`. */
    time: string;
    location: string;
  };
  answer_dim: AnswerDim;
}

/** The three routes, in the reference's fusion order. */
export const searchRoutes = ['bm25', 'structured', 'minilm'] as const;
export type SearchRoute = (typeof searchRoutes)[number];

/** How the routes' lists become one: the reference's concatenation, or reciprocal rank fusion. */
export const fusionModes = ['concat', 'rrf'] as const;
export type FusionMode = (typeof fusionModes)[number];
