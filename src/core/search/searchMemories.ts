import { bm25Route } from './bm25Route';
import { embeddingRoute } from './embeddingRoute';
import { fuseRoutes, type RouteHit } from './fusion';
import type { SearchIndex } from './searchIndex';
import {
  structuredQuery,
  structuredRoute,
  structuredScoreOf,
  type StructuredScore,
} from './structuredRoute';
import { describeTimeConstraint, parseTimeConstraint, type TimeConstraint } from './timeConstraint';
import type { Scored } from './topRanked';
import type { FusionMode, QueryAnalysis, SearchableMemory, SearchRoute } from './types';

/** The reference fuses each route's top 15. */
export const ROUTE_TOP_K = 15;

export interface SearchOptions {
  /** The query anchor's vector; null or absent turns the meaning route off. */
  queryVector?: Float32Array | null;
  fusion?: FusionMode;
  /** How many of each route's best are fused. */
  routeTopK?: number;
}

/** One memory of the answer, and why it is there. */
export interface SearchHit<M> {
  memory: M;
  /** 1-based position in the fused list. */
  rank: number;
  /** The routes that listed it, with rank and score in each, in fusion order. */
  routes: RouteHit[];
  /** Reciprocal rank fusion's score; null for concatenation. */
  fusedScore: number | null;
  /** The structured score's parts (type, time, location, keyword phrase, keyword words). */
  structured: StructuredScore;
}

export interface SearchResult<M> {
  analysis: QueryAnalysis;
  /** The time constraint understood, or null (none asked, or unreadable: see `timeIgnored`). */
  time: TimeConstraint | null;
  /** How the time constraint reads: `after 2023-05-31`; null without one. */
  timeUnderstood: string | null;
  /** A time constraint that could not be read (a model's free text), or null. */
  timeIgnored: string | null;
  /** Routes that ran. The meaning route runs only with a query vector and memory vectors. */
  routesOn: SearchRoute[];
  /** Each route's own list, best first (what was fused). */
  routeLists: Record<SearchRoute, { memory: M; score: number }[]>;
  hits: SearchHit<M>[];
}

/**
 * Ranks the index's memories for a query analysis: BM25, structured and (with a vector) meaning
 * routes, fused. A pure function of the index and its inputs: the same memories and question give
 * the same list in the CLI and in the app.
 */
export function searchMemories<M extends SearchableMemory>(
  index: SearchIndex<M>,
  analysis: QueryAnalysis,
  options: SearchOptions = {},
): SearchResult<M> {
  const topK = options.routeTopK ?? ROUTE_TOP_K;
  const time = parseTimeConstraint(analysis.dimension.time);
  const timeIgnored =
    time === null && analysis.dimension.time.trim() !== '' ? analysis.dimension.time.trim() : null;
  const structured = structuredQuery(analysis, time);
  const lists: Partial<Record<SearchRoute, Scored[]>> = {
    bm25: bm25Route(index, analysis, topK),
    structured: structuredRoute(index, structured, topK),
  };
  const routesOn: SearchRoute[] = ['bm25', 'structured'];
  const vector = options.queryVector ?? null;
  if (vector !== null && index.anyVector) {
    lists.minilm = embeddingRoute(index, vector, topK);
    routesOn.push('minilm');
  }
  const memoryAt = (slot: number) => index.memories[slot]!;
  const fused = fuseRoutes(
    lists,
    (slot) => memoryAt(slot).content,
    (slot) => index.ids[slot]!,
    options.fusion ?? 'concat',
  );
  const listOf = (route: SearchRoute) =>
    (lists[route] ?? []).map(({ slot, score }) => ({ memory: memoryAt(slot), score }));
  return {
    analysis,
    time,
    timeUnderstood: time === null ? null : describeTimeConstraint(time),
    timeIgnored,
    routesOn,
    routeLists: {
      bm25: listOf('bm25'),
      structured: listOf('structured'),
      minilm: listOf('minilm'),
    },
    hits: fused.map((entry, position) => ({
      memory: memoryAt(entry.slot),
      rank: position + 1,
      routes: entry.hits,
      fusedScore: entry.fusedScore,
      structured: structuredScoreOf(index, structured, entry.slot),
    })),
  };
}
