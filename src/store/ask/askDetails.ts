import { z } from 'zod';

import { answerPromptStyles, searchRoutes } from '../../core/search';
import type { QuestionRecord } from '../db/askRecords';

/** One ranked memory as the history keeps it: enough to show it and to open it again. */
export const askedHitSchema = z.object({
  memoryId: z.string(),
  rank: z.number().int().positive(),
  content: z.string(),
  routes: z.array(
    z.object({ route: z.enum(searchRoutes), rank: z.number().int(), score: z.number() }),
  ),
});
export type AskedHit = z.infer<typeof askedHitSchema>;

/** How an answer ended: written whole, stopped by the user, or failed (the error says why). */
export const answerStatuses = ['answering', 'done', 'stopped', 'failed'] as const;
export type AnswerStatus = (typeof answerStatuses)[number];

export const askedAnswerSchema = z.object({
  /** The model that wrote it, with where it ran: `Qwen/Qwen3-4B at http://127.0.0.1:8000/v1`. */
  model: z.string(),
  promptStyle: z.enum(answerPromptStyles),
  text: z.string(),
  status: z.enum(answerStatuses),
  error: z.string().nullable(),
  /** The memories given to the model, best first: citation `[n]` names `memoryIds[n - 1]`. */
  memoryIds: z.array(z.string()),
  answeredAt: z.number(),
});
export type AskedAnswer = z.infer<typeof askedAnswerSchema>;

/** What the Ask box keeps beside a question (the `details` of its record). */
export const askDetailsSchema = z.object({
  /** `parser`, or the model whose query analysis was used. */
  analysisBy: z.string(),
  timeUnderstood: z.string().nullable(),
  /** What the reader should know: a model's analysis not used, a route off, a time not read. */
  notices: z.array(z.string()),
  hits: z.array(askedHitSchema),
  answer: askedAnswerSchema.nullable(),
});
export type AskDetails = z.infer<typeof askDetailsSchema>;

/** A question of the history, its details read. */
export interface AskedQuestion extends Omit<QuestionRecord, 'details'> {
  details: AskDetails;
}

/**
 * Reads a stored question. Details this version cannot read (written by another one) are shown
 * as a notice instead of dropping the question: the question itself is never lost.
 */
export function readAskedQuestion(record: QuestionRecord): AskedQuestion {
  const parsed = askDetailsSchema.safeParse(record.details);
  if (parsed.success) return { ...record, details: parsed.data };
  return {
    ...record,
    details: {
      analysisBy: 'parser',
      timeUnderstood: null,
      notices: ['Its ranking and answer were saved in a form this version cannot read.'],
      hits: [],
      answer: null,
    },
  };
}
