import { jsonrepair } from 'jsonrepair';
import { Allow, parse as parsePartialJson } from 'partial-json';

import { answerMemorySchema, type AnswerMemory } from '../schema/answer';
import { formatSchemaIssues } from '../schema/formatSchemaIssues';
import type { RejectedMemory } from './types';
import { errorText } from '../errorText';

export type ElementResult = { memory: AnswerMemory } | { rejected: RejectedMemory };

/**
 * Validates one complete element of the `memories` array. Constrained decoding makes it strict JSON;
 * an answer produced without the grammar (an imported recording, another runtime) may not be, so
 * text that `JSON.parse` refuses gets one syntax-only repair (`jsonrepair`: quotes, commas) first.
 */
export function readMemoryElement(text: string, index: number): ElementResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    try {
      value = JSON.parse(jsonrepair(text));
    } catch (error) {
      const detail = errorText(error);
      return { rejected: { raw: text, reason: `memories[${index}]: not valid JSON (${detail})` } };
    }
  }
  const result = answerMemorySchema.safeParse(value, { reportInput: true });
  if (result.success) return { memory: result.data };
  return {
    rejected: { raw: value, reason: formatSchemaIssues(result.error, ['memories', index]) },
  };
}

/** A memory the answer stopped in the middle of: what it had so far, for display. */
export function readCutOffElement(text: string, index: number): RejectedMemory {
  let raw: unknown = text;
  try {
    raw = parsePartialJson(text, Allow.ALL);
  } catch {
    // Not even partial JSON: keep the text.
  }
  return { raw, reason: `memories[${index}]: cut off, the answer ended inside this memory` };
}
