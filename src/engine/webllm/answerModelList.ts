import type { AppConfig, ModelRecord } from '@mlc-ai/web-llm';

import { defaultContextWindowSize, trainingConvConfig } from '../catalog/modelCatalog';
import type { Quantization } from '../catalog/quantization';

/** WebLLM's `ModelType.LLM` (0); the enum is not imported, to keep WebLLM out of the first load. */
const llmModelType = 0;

/** A model of WebLLM's prebuilt list that can answer questions. */
export interface WebLlmAnswerOption {
  id: string;
  /** GPU memory WebLLM lists for it, in MB; null when it lists none. */
  vramMB: number | null;
  /** WebLLM lists it as fit for small devices. */
  lowResource: boolean;
  /** Needs WebGPU's `shader-f16` (an f16 build). */
  needsF16: boolean;
}

/** The text models of WebLLM's prebuilt list (no embedding or vision models), in its order. */
export function webLlmAnswerOptions(prebuilt: AppConfig): WebLlmAnswerOption[] {
  return prebuilt.model_list
    .filter((record) => (record.model_type ?? llmModelType) === llmModelType)
    .map((record) => ({
      id: record.model_id,
      vramMB: record.vram_required_MB ?? null,
      lowResource: record.low_resource_required ?? false,
      // WebLLM asks for `shader-f16` for every model id with f16 in it.
      needsF16: /f16/.test(record.model_id),
    }));
}

/** WebLLM's prebuilt Qwen3-4B in the quantization this GPU runs (the extractor's base model). */
export function qwen3AnswerModelId(quantization: Quantization): string {
  return `Qwen3-4B-${quantization}-MLC`;
}

/**
 * The record an answer model loads with: WebLLM's own, except that Qwen3 models get the context the
 * extractor uses (the answer prompt carries up to 45 memories) and Qwen3's own format without the
 * system turn MLC's template would add.
 */
export function answerModelRecord(prebuilt: AppConfig, modelId: string): ModelRecord {
  const record = prebuilt.model_list.find((candidate) => candidate.model_id === modelId);
  if (!record) throw new Error(`WebLLM's prebuilt model list has no ${modelId}.`);
  if (!/^Qwen3-/i.test(modelId)) return record;
  const context = Math.max(record.overrides?.context_window_size ?? 0, defaultContextWindowSize);
  return {
    ...record,
    overrides: {
      ...record.overrides,
      context_window_size: context,
      conv_config: { ...trainingConvConfig },
    },
  };
}
