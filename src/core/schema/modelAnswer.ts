import { z } from 'zod';

import { formatSchemaIssues } from './formatSchemaIssues';

/** Markdown's ```json fence around a model's JSON, which models add unasked. */
export const withoutJsonFence = (text: string) =>
  text
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '');

/**
 * A model's JSON answer checked against its schema. `value` is the parsed JSON, undefined when the
 * text held none; `fail` makes the error to throw from a message that starts with `what`
 * ("the decision is not JSON: …", "the decision does not fit its schema: …").
 */
export function checkModelAnswer<T>(
  schema: z.ZodType<T>,
  value: unknown,
  text: string,
  what: string,
  fail: (message: string) => Error,
): T {
  if (value === undefined) {
    const preview = text.trim().replace(/\s+/g, ' ').slice(0, 120);
    throw fail(`${what} is not JSON: ${JSON.stringify(preview)}`);
  }
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) {
    throw fail(`${what} does not fit its schema: ${formatSchemaIssues(result.error)}`);
  }
  return result.data;
}

/** Text a model wrote, read without the white space around it. */
export const modelText = z.string().trim();

/** Keywords as a model wrote them, trimmed, empty ones dropped. */
export const modelKeywords = z
  .array(modelText)
  .overwrite((keywords) => keywords.filter((keyword) => keyword !== ''));
