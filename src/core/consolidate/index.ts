export * from './types';
export { memoryOwner } from './memoryOwner';
export { compareSourceTime } from './sourceOrder';
export { keywordSet } from './keywords';
export {
  CANDIDATES_PER_MEMORY,
  KEYWORD_JACCARD_THRESHOLD,
  KEYWORD_NEIGHBOURS,
  keywordCandidates,
} from './keywordBlocking';
export type { KeywordBlockingStats, KeywordCandidate } from './keywordBlocking';
export { LEXICAL_SIMILARITY_THRESHOLD, contentWords, wordSetCosine } from './lexicalSimilarity';
export { exactText, looseText, ruleGroups } from './ruleMerges';
export type { RuleGroup } from './ruleMerges';
export { detectPairs, EMBEDDING_SIMILARITY_THRESHOLD } from './detectPairs';
export type { Detection, DetectionStats, DetectOptions } from './detectPairs';
export { buildConsolidationPrompt, consolidationPromptTemplate } from './decisionPrompt';
export {
  ConsolidationDecisionError,
  consolidationDecisionJsonSchema,
  consolidationDecisionJsonSchemaText,
  consolidationDecisionSchema,
  consolidationDecisionSchemaName,
  parseConsolidationDecision,
} from './decisionSchema';
export type { ConsolidationDecision } from './decisionSchema';
export { consolidatedId, mergeByDecision, mergeDuplicates } from './consolidatedMemory';
export type { ConsolidatedMemory } from './consolidatedMemory';
export { ConsolidationPass } from './consolidationPass';
export type { EarlierVersion, PairDecision, PairOutcome } from './consolidationPass';
