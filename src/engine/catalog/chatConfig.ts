import { z } from 'zod';

import { quantizations } from './quantization';
import type { Quantization } from './quantization';

/** The few fields of an MLC `mlc-chat-config.json` the app checks before loading a model. */
const mlcChatConfigSchema = z.looseObject({
  model_type: z.string(),
  quantization: z.string(),
  context_window_size: z.number().optional(),
  prefill_chunk_size: z.number().optional(),
  tokenizer_files: z.array(z.string()).optional(),
  conv_template: z.unknown().optional(),
});

export type MlcChatConfig = z.infer<typeof mlcChatConfigSchema>;

export type ChatConfigCheck =
  { ok: true; config: MlcChatConfig; quantization: Quantization } | { ok: false; problem: string };

/**
 * A model folder runs on WebLLM's prebuilt Qwen3-4B library only if it is a Qwen3 model in one of
 * the two quantizations that library exists for (and, when one is expected, that one).
 */
export function checkChatConfig(json: unknown, expected?: Quantization): ChatConfigCheck {
  const parsed = mlcChatConfigSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      problem:
        'mlc-chat-config.json lacks model_type or quantization: is this an MLC model folder?',
    };
  }
  const config = parsed.data;
  if (config.model_type !== 'qwen3') {
    return {
      ok: false,
      problem: `This folder holds a "${config.model_type}" model; DimMem-4B is a qwen3 model.`,
    };
  }
  const quantization = quantizations.find((q) => q === config.quantization);
  if (!quantization) {
    return {
      ok: false,
      problem: `Quantization "${config.quantization}" has no prebuilt WebLLM library; build q4f16_1 or q4f32_1.`,
    };
  }
  if (expected && quantization !== expected) {
    return {
      ok: false,
      problem: `This folder holds the ${quantization} build, but ${expected} was expected.`,
    };
  }
  return { ok: true, config, quantization };
}
