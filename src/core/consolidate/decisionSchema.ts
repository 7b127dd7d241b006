import { z } from 'zod';

import { memoryTypes } from '../schema/answer';
import {
  checkModelAnswer,
  modelKeywords,
  modelText,
  withoutJsonFence,
} from '../schema/modelAnswer';
import { consolidationDecisions } from './types';

/**
 * The decision a model writes for one pair, with every key `DIMMEM_PROMPT` asks for, in the
 * prompt's order: constrained decoding makes the model write the schema's keys in the schema's
 * order, so a schema that left one out or reordered them would force the model off its own prompt.
 * `merged_dimension` has no location: a merge keeps the newer memory's. Texts are read trimmed.
 */
export const consolidationDecisionSchema = z.strictObject({
  decision: z.enum(consolidationDecisions),
  merged_content: modelText,
  merged_dimension: z.strictObject({
    memory_type: z.enum(memoryTypes),
    time: modelText,
    keywords: modelKeywords,
    reason: modelText,
    purpose: modelText,
  }),
  reasoning: modelText,
});
export type ConsolidationDecision = z.infer<typeof consolidationDecisionSchema>;

/** For constrained decoding (OpenAI `response_format`, WebLLM, xgrammar). */
export const consolidationDecisionJsonSchema = z.toJSONSchema(consolidationDecisionSchema, {
  target: 'draft-7',
});
export const consolidationDecisionJsonSchemaText = JSON.stringify(consolidationDecisionJsonSchema);

/** The name the schema travels under in `response_format.json_schema.name`. */
export const consolidationDecisionSchemaName = 'dimmem_consolidation_decision';

/** A model answer that is not a decision; the message says what is wrong. */
export class ConsolidationDecisionError extends Error {
  override name = 'ConsolidationDecisionError';
}

/**
 * Reads a model's decision: the JSON object in its text (a ```json fence around it is tolerated),
 * checked key by key. Unlike the reference, an answer that does not fit is an error, never read as
 * KEEP_BOTH by looking for a word in it: the pair stays undecided. Throws
 * {@link ConsolidationDecisionError}.
 */
export function parseConsolidationDecision(text: string): ConsolidationDecision {
  let value: unknown;
  try {
    value = JSON.parse(withoutJsonFence(text));
  } catch {
    value = undefined;
  }
  return checkModelAnswer(
    consolidationDecisionSchema,
    value,
    text,
    'the decision',
    (message) => new ConsolidationDecisionError(message),
  );
}
