import type { ExtractResult } from '../types';
import { buildChatRequest, thinksUnlessTold, withoutThinking } from './chatRequest';
import type { WebLlmEngine } from './webLlmEngine';

export interface ChatOptions {
  maxTokens: number;
  signal?: AbortSignal;
  /** The reply so far (its think block left out), each time it grows. */
  onText?: (textSoFar: string) => void;
  jsonSchema?: unknown;
}

/**
 * One prompt to the model loaded in `engine` as a general instruction model (thinking off for
 * Qwen3), through the same streaming, interrupt and error mapping as extraction.
 */
export async function completeChat(
  engine: Pick<WebLlmEngine, 'generate' | 'modelId'>,
  prompt: string,
  options: ChatOptions,
): Promise<ExtractResult> {
  const request = buildChatRequest(prompt, {
    maxTokens: options.maxTokens,
    jsonSchema: options.jsonSchema,
    thinkingOff: thinksUnlessTold(engine.modelId ?? ''),
  });
  const { onText } = options;
  const result = await engine.generate(request, {
    maxTokens: options.maxTokens,
    signal: options.signal,
    onText: onText && ((soFar) => onText(withoutThinking(soFar))),
  });
  return { ...result, text: withoutThinking(result.text) };
}
