import { z } from 'zod';

import { answerSchema } from './answer';

/** JSON Schema of the answer, derived from the zod schema, for constrained decoding. */
export const answerJsonSchema = z.toJSONSchema(answerSchema, { target: 'draft-7' });

/** WebLLM's `response_format.schema` takes the schema as a string. */
export const answerJsonSchemaText = JSON.stringify(answerJsonSchema);
