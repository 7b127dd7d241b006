import { z } from 'zod';

import { answerSchema } from './answer';

/**
 * JSON Schema of the answer, derived from the zod schema, for constrained decoding (WebLLM compiles
 * it with xgrammar's `compileJSONSchema`).
 *
 * One adjustment: zod writes `z.int()` as an integer bounded to the safe-integer range
 * (±9007199254740991). Those bounds say nothing about the model's contract (`source_id` ≥ 1), and
 * xgrammar turns a numeric range into one grammar alternative per digit count (16 of them here)
 * instead of `[1-9][0-9]*`, so the implicit bounds are dropped. Explicit bounds stay.
 */
export const answerJsonSchema = z.toJSONSchema(answerSchema, {
  target: 'draft-7',
  override: ({ jsonSchema }) => {
    if (jsonSchema.type !== 'integer') return;
    if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
    if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  },
});

/** WebLLM's `response_format.schema` takes the schema as a string. */
export const answerJsonSchemaText = JSON.stringify(answerJsonSchema);
