import { z } from 'zod';

import { memoryTypes } from '../schema/answer';
import { formatSchemaIssues } from '../schema/formatSchemaIssues';
import { answerDims, type QueryAnalysis } from './types';

/**
 * The query analysis a model writes, with every key `LONGMEMEVAL_QUERY_ANALYSIS_PROMPT` asks for,
 * in the prompt's order: constrained decoding makes the model write the schema's keys in the
 * schema's order, so a schema missing a key (or ordering them otherwise) would force the model off
 * its own prompt. A unit test checks the keys against the prompt's output format.
 */
export const queryAnalysisSchema = z.strictObject({
  query_anchor: z.string(),
  need_assistant_context: z.boolean(),
  dimension: z.strictObject({
    target_memory_type: z.array(z.enum(memoryTypes)),
    keywords: z.array(z.string()),
    time: z.string(),
    location: z.string(),
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
  const value = firstJsonObject(text);
  if (value === undefined) {
    const preview = text.trim().replace(/\s+/g, ' ').slice(0, 120);
    throw new QueryAnalysisError(`the query analysis is not JSON: ${JSON.stringify(preview)}`);
  }
  const result = queryAnalysisSchema.safeParse(value, { reportInput: true });
  if (!result.success) {
    throw new QueryAnalysisError(
      `the query analysis does not fit its schema: ${formatSchemaIssues(result.error)}`,
    );
  }
  const analysis = result.data;
  return {
    ...analysis,
    query_anchor: analysis.query_anchor.trim(),
    dimension: {
      ...analysis.dimension,
      keywords: analysis.dimension.keywords.map((k) => k.trim()).filter((k) => k !== ''),
      time: analysis.dimension.time.trim(),
      location: analysis.dimension.location.trim(),
    },
  };
}

function firstJsonObject(text: string): unknown {
  const trimmed = text
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '');
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
