import type {
  FusionMode,
  QueryAnalysis,
  SearchableMemory,
  SearchHit,
  SearchIndex,
  SearchResult,
  SearchRoute,
  StructuredPart,
} from '../../core/search';
import { parseQuestion, searchMemories } from '../../core/search';
import type { LocalTime } from '../../core/time/localTime';

export interface RankQuestionOptions {
  /** The day the question is asked: relative times ("last week") count from it. */
  askedOn: LocalTime;
  /** A model's query analysis, used instead of the parser's reading. */
  modelAnalysis?: { analysis: QueryAnalysis; by: string } | null;
  /** The anchor's vector; absent or null keeps the meaning route off. */
  queryVector?: Float32Array | null;
  /** Why the meaning route is off, said in the notices; null when it is on. */
  meaningOff?: string | null;
  fusion?: FusionMode;
}

/** A question ranked over the memories of the table's filters, and what to say about it. */
export interface AskRanking<M> {
  question: string;
  analysis: QueryAnalysis;
  /** `parser`, or the model whose analysis ranked. */
  analysisBy: string;
  result: SearchResult<M>;
  notices: string[];
}

/**
 * Ranks an index's memories for a question, as the CLI's `search` does: the deterministic parse
 * (or a model's analysis), then `searchMemories`. Pure: the same memories and question give the
 * same ranks here and in the CLI.
 */
export function rankQuestion<M extends SearchableMemory>(
  index: SearchIndex<M>,
  question: string,
  options: RankQuestionOptions,
): AskRanking<M> {
  const notices: string[] = [];
  let analysis: QueryAnalysis;
  let analysisBy = 'parser';
  if (options.modelAnalysis) {
    analysis = options.modelAnalysis.analysis;
    analysisBy = options.modelAnalysis.by;
  } else {
    const parsed = parseQuestion(question, { askedOn: options.askedOn });
    analysis = parsed.analysis;
    notices.push(...parsed.notes);
  }
  const result = searchMemories(index, analysis, {
    queryVector: options.queryVector ?? null,
    fusion: options.fusion ?? 'concat',
  });
  if (result.timeIgnored !== null) {
    notices.push(`The time "${result.timeIgnored}" was not understood and is not used.`);
  }
  if (options.meaningOff) notices.push(`Meaning route off: ${options.meaningOff}`);
  return { question, analysis, analysisBy, result, notices };
}

const routeNames: Record<SearchRoute, string> = {
  bm25: 'words',
  structured: 'structured',
  minilm: 'meaning',
};

const partNames: Record<StructuredPart, string> = {
  type: 'type',
  time: 'time',
  location: 'place',
  keywordPhrase: 'phrase',
  keywordTokens: 'keywords',
};

/**
 * Why a memory is ranked, in words: each route that listed it with its place there, the
 * structured parts it matched, and the time constraint when the memory's time matched it
 * (`words #1 · structured #2: type, time · after 2023-05-01`).
 */
export function whyRanked<M>(hit: SearchHit<M>, timeUnderstood: string | null): string {
  const parts = hit.routes.map((route) => {
    const label = `${routeNames[route.route]} #${route.rank}`;
    if (route.route !== 'structured') return label;
    const matched = (Object.entries(hit.structured.parts) as [StructuredPart, number][])
      .filter(([, value]) => value > 0)
      .map(([part]) => partNames[part]);
    return matched.length > 0 ? `${label}: ${matched.join(', ')}` : label;
  });
  if (timeUnderstood !== null && (hit.structured.parts.time ?? 0) > 0) parts.push(timeUnderstood);
  return parts.join(' · ');
}
