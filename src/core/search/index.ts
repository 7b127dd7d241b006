export * from './types';
export { tokenize, uniqueTokens } from './tokenize';
export { parseQuestion } from './questionParser';
export type { ParsedQuestion, ParseQuestionOptions } from './questionParser';
export { findTimeExpression } from './timeExpressions';
export type { FoundTime } from './timeExpressions';
export {
  describeTimeConstraint,
  memoryMatchesTime,
  parseTimeConstraint,
  parseTimeSpan,
  spanMatches,
} from './timeConstraint';
export type {
  TimeConstraint,
  TimeConstraintMode,
  TimeGranularity,
  TimeSpan,
} from './timeConstraint';
export { SearchIndex } from './searchIndex';
export { VectorStore } from './vectorStore';
export { bm25Route, bm25QueryWords, BM25_B, BM25_K1 } from './bm25Route';
export {
  structuredQuery,
  structuredRoute,
  structuredScoreOf,
  structuredWeights,
} from './structuredRoute';
export type { StructuredPart, StructuredQuery, StructuredScore } from './structuredRoute';
export { embeddingRoute } from './embeddingRoute';
export { fuseRoutes, RRF_K } from './fusion';
export type { FusedEntry, RouteHit } from './fusion';
export { TopRanked } from './topRanked';
export type { Scored } from './topRanked';
export { searchMemories, ROUTE_TOP_K } from './searchMemories';
export type { SearchHit, SearchOptions, SearchResult } from './searchMemories';
export { memoryEmbeddingText } from './embedder';
export type { Embedder } from './embedder';
export { buildQueryAnalysisPrompt, queryAnalysisPromptTemplate } from './queryAnalysisPrompt';
export {
  parseQueryAnalysis,
  QueryAnalysisError,
  queryAnalysisJsonSchema,
  queryAnalysisSchema,
  queryAnalysisSchemaName,
} from './queryAnalysisSchema';
export { referenceAnswerPromptTemplate } from './referenceAnswerPrompt';
export {
  answerPromptStyles,
  buildAnswerPrompt,
  citationInstruction,
  citedAnswerPromptTemplate,
  formatRetrievedMemories,
  parseAnswerText,
} from './answerPrompt';
export type {
  AnswerMemory,
  AnswerPromptInput,
  AnswerPromptStyle,
  ParsedAnswer,
} from './answerPrompt';
