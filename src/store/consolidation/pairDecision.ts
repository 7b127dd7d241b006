import type { ConsolidationDecision } from '../../core/consolidate';
import {
  buildConsolidationPrompt,
  consolidationDecisionJsonSchema,
  consolidationDecisionSchemaName,
  parseConsolidationDecision,
} from '../../core/consolidate';
import { errorText } from '../../core/errorText';
import type { AnswerModel } from '../ask/answerModel';
import type { ReviewPairRecord } from '../db/consolidationRecords';
import type { MemoryRecord } from '../db/records';
import { toConsolidationMemory } from './consolidatedRecord';
import { pairKind } from './consolidationStore';

/** The reference asks for at most 1024 tokens; a decision is a few sentences. */
const MAX_DECISION_TOKENS = 1024;

/**
 * Asks the model to decide one pair: the reference's prompt (memory A the newer), constrained to
 * the decision schema. An answer that is not a decision leaves the pair `failed` with the reason
 * (nothing changes); errors reaching the model (network, server) are thrown, as is an abort.
 */
export async function decidePair(
  model: AnswerModel,
  pair: ReviewPairRecord,
  older: MemoryRecord,
  newer: MemoryRecord,
  signal: AbortSignal,
): Promise<ReviewPairRecord> {
  const prompt = buildConsolidationPrompt(
    toConsolidationMemory(newer),
    toConsolidationMemory(older),
  );
  const text = await model.complete(prompt, {
    maxTokens: MAX_DECISION_TOKENS,
    signal,
    jsonSchema: { name: consolidationDecisionSchemaName, schema: consolidationDecisionJsonSchema },
  });
  let decision: ConsolidationDecision;
  try {
    decision = parseConsolidationDecision(text);
  } catch (error) {
    return failedPair(
      pair,
      `${model.label} answered something that is not a decision: ${errorText(error)}`,
    );
  }
  const proposal = {
    decision: decision.decision,
    mergedContent: decision.merged_content,
    reasoning: decision.reasoning,
    by: model.label,
  };
  const { error: _error, ...rest } = pair;
  return {
    ...rest,
    proposal,
    mergedDimension: decision.merged_dimension,
    kind: pairKind(proposal),
    status: 'proposed',
  };
}

/** A pair left undecided, with why; a later `decide` asks again. */
export function failedPair(pair: ReviewPairRecord, error: string): ReviewPairRecord {
  return { ...pair, status: 'failed', error };
}
