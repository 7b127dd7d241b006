import { z } from 'zod';

/**
 * Which model answers questions: the endpoint saved in the Model view, WebLLM's Qwen3-4B in this
 * browser (the quantization the GPU runs), or another model of WebLLM's prebuilt list by id.
 * Kept in localStorage: small, read before the first render.
 */
export const answerModelSettingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('endpoint') }),
  z.object({ kind: z.literal('qwen3-4b') }),
  z.object({ kind: z.literal('webllm'), modelId: z.string().min(1) }),
]);
export type AnswerModelSetting = z.infer<typeof answerModelSettingSchema>;

export const answerModelStorageKey = 'dimmem.ask.answer-model.v1';

/** The endpoint answers until the user picks a model in this browser (as before the choice). */
export const defaultAnswerModelSetting: AnswerModelSetting = { kind: 'endpoint' };

/** The saved choice; anything unreadable gives the default. */
export function readAnswerModelSetting(): AnswerModelSetting {
  try {
    const raw = globalThis.localStorage?.getItem(answerModelStorageKey);
    const parsed = answerModelSettingSchema.safeParse(raw ? JSON.parse(raw) : null);
    return parsed.success ? parsed.data : defaultAnswerModelSetting;
  } catch {
    return defaultAnswerModelSetting;
  }
}

export function writeAnswerModelSetting(setting: AnswerModelSetting): void {
  try {
    globalThis.localStorage?.setItem(answerModelStorageKey, JSON.stringify(setting));
  } catch {
    // Private modes may refuse; the choice then lasts for this visit only.
  }
}
