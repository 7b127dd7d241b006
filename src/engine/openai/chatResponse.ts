import { z } from 'zod';

/**
 * What we read from an OpenAI-compatible server, checked at the boundary. Servers add fields of
 * their own (vLLM's `stop_reason`, llama.cpp's `timings`), so objects are loose; only what we use
 * is required. `finish_reason` stays a string: servers are not uniform (`stop`, `length`, `abort`,
 * `eos`, …).
 */
const usageSchema = z.looseObject({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
});

/** llama.cpp reports its own speeds; used when present. */
const llamaCppTimingsSchema = z
  .looseObject({ prompt_per_second: z.number(), predicted_per_second: z.number() })
  .partial();

export const chatCompletionSchema = z.looseObject({
  choices: z
    .array(
      z.looseObject({
        message: z.looseObject({ content: z.string().nullish() }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: usageSchema.nullish(),
  timings: llamaCppTimingsSchema.nullish(),
});

export const chatCompletionChunkSchema = z.looseObject({
  choices: z
    .array(
      z.looseObject({
        delta: z.looseObject({ content: z.string().nullish() }).nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .default([]),
  usage: usageSchema.nullish(),
  timings: llamaCppTimingsSchema.nullish(),
  /** vLLM reports a failure after the stream started as a chunk with an `error`. */
  error: z.looseObject({ message: z.string(), code: z.number().nullish() }).nullish(),
});

/**
 * The message of an error body, as OpenAI and llama.cpp send it (`{error: {message}}`) or as vLLM
 * does (`{object: 'error', message, code}`).
 */
export const errorBodySchema = z.union([
  z
    .looseObject({ error: z.looseObject({ message: z.string() }) })
    .transform((b) => b.error.message),
  z.looseObject({ message: z.string() }).transform((b) => b.message),
]);

export type ChatCompletion = z.infer<typeof chatCompletionSchema>;
export type ChatCompletionChunk = z.infer<typeof chatCompletionChunkSchema>;
export type ChatUsage = z.infer<typeof usageSchema>;

/** `/v1/models`: `{data: [{id}]}`. */
export const modelListSchema = z.looseObject({
  data: z.array(z.looseObject({ id: z.string() })),
});
