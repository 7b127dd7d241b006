import { z } from 'zod';

import { memoryTypes } from '../schema/answer';
import {
  checkModelAnswer,
  modelKeywords,
  modelText,
  withoutJsonFence,
} from '../schema/modelAnswer';
import { answerDims, type QueryAnalysis } from './types';

/**
 * The query analysis a model writes, with every key `LONGMEMEVAL_QUERY_ANALYSIS_PROMPT` asks for,
 * in the prompt's order: constrained decoding makes the model write the schema's keys in the
 * schema's order, so a schema missing a key (or ordering them otherwise) would force the model off
 * its own prompt. A unit test checks the keys against the prompt's output format. Texts are read
 * trimmed.
 */
export const queryAnalysisSchema = z.strictObject({
  query_anchor: modelText,
  need_assistant_context: z.boolean(),
  dimension: z.strictObject({
    target_memory_type: z.array(z.enum(memoryTypes)),
    keywords: modelKeywords,
    time: modelText,
    location: modelText,
  }),
  answer_dim: z.enum(answerDims),
});

/** The JSON Schema for constrained decoding (OpenAI `response_format`, WebLLM, xgrammar). */
export const queryAnalysisJsonSchema = z.toJSONSchema(queryAnalysisSchema, { target: 'draft-7' });

/** The name the schema travels under in `response_format.json_schema.name`. */
export const queryAnalysisSchemaName = 'dimmem_query_analysis';

/** A model answer that is not a query analysis; the message says what is wrong. */
export class QueryAnalysisError extends Error {
  override name = 'QueryAnalysisError';
}

/**
 * Reads a model's query analysis: the JSON object in its text (a ```json fence or words around it
 * are tolerated, as the reference's `_safe_json_fragment` tolerates them), checked field by field.
 * Throws {@link QueryAnalysisError}.
 */
export function parseQueryAnalysis(text: string): QueryAnalysis {
  return checkModelAnswer(
    queryAnalysisSchema,
    firstJsonObject(text),
    text,
    'the query analysis',
    (message) => new QueryAnalysisError(message),
  );
}

function firstJsonObject(text: string): unknown {
  const trimmed = withoutJsonFence(text);
  try {
    return JSON.parse(trimmed);
  } catch {
    // Words around the object: try each `{` in turn, as a JSON decoder's raw_decode would.
  }
  for (let start = trimmed.indexOf('{'); start !== -1; start = trimmed.indexOf('{', start + 1)) {
    for (let end = trimmed.lastIndexOf('}'); end > start; end = trimmed.lastIndexOf('}', end - 1)) {
      try {
        return JSON.parse(trimmed.slice(start, end + 1));
      } catch {
        // a shorter candidate next
      }
    }
  }
  return undefined;
}
