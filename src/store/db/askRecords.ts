import { z } from 'zod';

/**
 * A question the user asked in the Ask box, kept as a history. Owned by `src/store/ask/`; this file
 * holds only what IndexedDB stores, so the database schema has one place to read it from.
 */
export const questionRecordSchema = z.object({
  id: z.string().min(1),
  question: z.string(),
  /** When it was asked (ms since the epoch): the history's order. */
  askedAt: z.number(),
  /** The question's reference date, `YYYY-MM-DD`, as relative times ("last week") were read. */
  askedOn: z.string(),
  /** What the Ask box stored beside it: ranking, answer, model. Validated by `src/store/ask/`. */
  details: z.record(z.string(), z.unknown()).default({}),
});
export type QuestionRecord = z.infer<typeof questionRecordSchema>;
