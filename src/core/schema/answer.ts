import { z } from 'zod';

/**
 * The model's answer (design §3–4). This zod schema is the single source of truth: the JSON Schema
 * handed to WebLLM's grammar engine is derived from it (see `jsonSchema.ts`), never written by hand.
 * Key order matters: the grammar makes the model write keys in schema order, so it is the card's.
 */
export const memoryTypes = ['fact', 'episodic', 'profile'] as const;
export type MemoryType = (typeof memoryTypes)[number];

export const dimensionSchema = z.strictObject({
  memory_type: z.enum(memoryTypes),
  time: z.string(),
  location: z.string(),
  reason: z.string(),
  purpose: z.string(),
  keywords: z.array(z.string()),
});

export const answerMemorySchema = z.strictObject({
  source_id: z.int().min(1),
  content: z.string(),
  dimension: dimensionSchema,
});

export const answerSchema = z.strictObject({
  memories: z.array(answerMemorySchema),
});

export type AnswerMemory = z.infer<typeof answerMemorySchema>;
export type Answer = z.infer<typeof answerSchema>;
